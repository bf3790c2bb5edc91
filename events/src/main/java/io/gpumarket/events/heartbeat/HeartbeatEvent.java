package io.gpumarket.events.heartbeat;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import java.time.Instant;
import java.util.List;

/**
 * Topic {@code gpumarket.heartbeats}, key = machine id, written by node-service, kept 7 days.
 * Raw agent heartbeats; lasting facts derived from them go to {@code gpumarket.machines}.
 * {@code agentSeq} counts per agent boot ({@code bootId}): the same (boot, seq) twice is one
 * heartbeat. {@code sampledAt} is when the agent read the values, which for a heartbeat resent
 * after a reconnect is earlier than when it arrived.
 */
public sealed interface HeartbeatEvent extends Event {

    @JsonTypeName("heartbeat.received.v1")
    record HeartbeatReceived(EventMeta meta, String bootId, long agentSeq, Instant sampledAt, List<GpuReading> gpus,
            String driverVersion, String cudaVersion, Long diskFreeGb, List<String> runningInstanceIds,
            List<ContainerTraffic> traffic) implements HeartbeatEvent {}

    /** One GPU's state; {@code fault} names what is wrong with it (an Xid error, lost from the bus), else null. */
    record GpuReading(int index, int utilizationPercent, int memoryUsedMb, int temperatureC, String fault) {}

    /** Network bytes an instance's container has received and sent since it started (counters, not rates). */
    record ContainerTraffic(String instanceId, long rxBytes, long txBytes) {}
}
