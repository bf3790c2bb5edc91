package io.gpumarket.events.heartbeat;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import java.util.List;

/**
 * Topic {@code gpumarket.heartbeats}, key = machine id, written by node-service, kept 7 days.
 * Raw agent heartbeats; lasting facts derived from them go to {@code gpumarket.machines}.
 * {@code agentSeq} is the agent's own counter: the same seq twice is one heartbeat.
 */
public sealed interface HeartbeatEvent extends Event {

    @JsonTypeName("heartbeat.received.v1")
    record HeartbeatReceived(EventMeta meta, long agentSeq, List<GpuReading> gpus, String driverVersion,
            String cudaVersion, Long diskFreeGb, List<String> runningInstanceIds) implements HeartbeatEvent {}

    record GpuReading(int index, int utilizationPercent, int memoryUsedMb, int temperatureC) {}
}
