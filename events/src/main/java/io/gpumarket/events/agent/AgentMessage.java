package io.gpumarket.events.agent;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.gpumarket.events.heartbeat.HeartbeatEvent.GpuReading;
import io.gpumarket.events.machine.ContainerState;
import io.gpumarket.events.rental.ContainerSpec;
import io.gpumarket.events.rental.WorkAction;
import java.util.List;

/**
 * The agent channel: JSON text frames on the one WebSocket a host agent keeps open at
 * {@code /api/v1/agent}. Agent → node-service: {@code hello}, {@code heartbeat}, {@code report};
 * node-service → agent: {@code welcome}, {@code work}, {@code ack}, {@code refused}. A heartbeat is
 * identified by ({@code bootId}, {@code seq}) and a report by its {@code workId}: the agent resends
 * what was not acknowledged, and node-service counts each once.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = AgentMessage.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = AgentMessage.Heartbeat.class, name = "heartbeat"),
    @JsonSubTypes.Type(value = AgentMessage.Report.class, name = "report"),
    @JsonSubTypes.Type(value = AgentMessage.Welcome.class, name = "welcome"),
    @JsonSubTypes.Type(value = AgentMessage.Work.class, name = "work"),
    @JsonSubTypes.Type(value = AgentMessage.Ack.class, name = "ack"),
    @JsonSubTypes.Type(value = AgentMessage.Refused.class, name = "refused")
})
public sealed interface AgentMessage {

    /** First frame after the upgrade; the agent token travels in the upgrade's Authorization header. */
    record Hello(String machineId, String bootId, String agentVersion) implements AgentMessage {}

    record Heartbeat(long seq, List<GpuReading> gpus, String driverVersion, String cudaVersion, Long diskFreeGb,
            List<String> runningInstanceIds) implements AgentMessage {}

    record Report(String workId, String instanceId, ContainerState state, String detail) implements AgentMessage {}

    record Welcome(int heartbeatIntervalSeconds) implements AgentMessage {}

    record Work(String workId, String instanceId, WorkAction action, List<Integer> gpuIndexes, int diskGb,
            ContainerSpec container) implements AgentMessage {}

    /** Acknowledges a heartbeat ({@code seq}) or a report ({@code workId}). */
    record Ack(Long seq, String workId) implements AgentMessage {}

    /** The token or the machine was refused; the agent should stop and say why. */
    record Refused(String reason) implements AgentMessage {}
}
