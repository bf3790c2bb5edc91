package io.gpumarket.events.agent;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.gpumarket.events.heartbeat.HeartbeatEvent.ContainerTraffic;
import io.gpumarket.events.heartbeat.HeartbeatEvent.GpuReading;
import io.gpumarket.events.machine.ContainerAccess;
import io.gpumarket.events.machine.ContainerState;
import io.gpumarket.events.rental.ContainerSpec;
import io.gpumarket.events.rental.WorkAction;
import java.time.Instant;
import java.util.List;

/**
 * The agent channel: JSON text frames on the one WebSocket a host agent keeps open at
 * {@code /api/v1/agent}. Agent → node-service: {@code hello}, {@code heartbeat}, {@code report},
 * {@code benchmark}; node-service → agent: {@code welcome}, {@code work}, {@code ack},
 * {@code rejected} (one frame refused, the channel stays), {@code refused} (the channel closes).
 * A heartbeat is identified by ({@code bootId}, {@code seq}), a report by its {@code workId}, a
 * benchmark by its {@code id}: the agent resends what was not acknowledged, and node-service
 * counts each once.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = AgentMessage.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = AgentMessage.Heartbeat.class, name = "heartbeat"),
    @JsonSubTypes.Type(value = AgentMessage.Report.class, name = "report"),
    @JsonSubTypes.Type(value = AgentMessage.Welcome.class, name = "welcome"),
    @JsonSubTypes.Type(value = AgentMessage.Work.class, name = "work"),
    @JsonSubTypes.Type(value = AgentMessage.Ack.class, name = "ack"),
    @JsonSubTypes.Type(value = AgentMessage.Refused.class, name = "refused"),
    @JsonSubTypes.Type(value = AgentMessage.Benchmark.class, name = "benchmark"),
    @JsonSubTypes.Type(value = AgentMessage.Rejected.class, name = "rejected")
})
public sealed interface AgentMessage {

    /** First frame after the upgrade; the agent token travels in the upgrade's Authorization header. */
    record Hello(String machineId, String bootId, String agentVersion) implements AgentMessage {}

    record Heartbeat(long seq, Instant sampledAt, List<GpuReading> gpus, String driverVersion, String cudaVersion,
            Long diskFreeGb, List<String> runningInstanceIds, List<ContainerTraffic> traffic)
            implements AgentMessage {}

    /** The machine's benchmark result: DLPerf per GPU as a decimal string ("37.20"), and the model it ran on. */
    record Benchmark(String id, String gpuModel, String dlperfPerGpu) implements AgentMessage {}

    /** The outcome of a piece of work; a running container says how it is reached ({@code access}). */
    record Report(String workId, String instanceId, ContainerState state, String detail, ContainerAccess access)
            implements AgentMessage {

        public Report(String workId, String instanceId, ContainerState state, String detail) {
            this(workId, instanceId, state, detail, null);
        }
    }

    record Welcome(int heartbeatIntervalSeconds) implements AgentMessage {}

    record Work(String workId, String instanceId, WorkAction action, List<Integer> gpuIndexes, int diskGb,
            ContainerSpec container) implements AgentMessage {}

    /** Acknowledges a heartbeat ({@code seq}), a report ({@code workId}) or a benchmark ({@code benchmarkId}). */
    record Ack(Long seq, String workId, String benchmarkId) implements AgentMessage {}

    /** One frame was refused and never reaches the log; resending it will not help. */
    record Rejected(Long seq, String benchmarkId, String reason) implements AgentMessage {}

    /** The token or the machine was refused; the agent should stop and say why. */
    record Refused(String reason) implements AgentMessage {}
}
