package io.gpumarket.events.machine;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import java.time.Instant;
import java.util.List;

/**
 * Topic {@code gpumarket.machines}, key = machine id, written by node-service: registrations and
 * their hardware checks, online/offline and maintenance facts, GPU faults, the software and
 * benchmarks the agents report, what they report about containers, and the scores node-service
 * derives from all of it (reliability, performance, verification stage).
 * Only the SHA-256 hash of a machine's agent token is ever on the log.
 */
public sealed interface MachineEvent extends Event {

    @JsonTypeName("machine.registered.v1")
    record MachineRegistered(EventMeta meta, String hostAccountId, MachineSpec spec, List<CheckResult> checks,
            String agentTokenHash) implements MachineEvent {}

    @JsonTypeName("machine.came-online.v1")
    record MachineCameOnline(EventMeta meta, String agentVersion) implements MachineEvent {}

    @JsonTypeName("machine.went-offline.v1")
    /**
     * The machine missed its heartbeats. {@code runningInstanceIds} are the instances its last
     * heartbeat said were running: a disconnect during a rental when not empty.
     */
    record MachineWentOffline(EventMeta meta, String reason, List<String> runningInstanceIds) implements MachineEvent {
        public MachineWentOffline {
            runningInstanceIds = runningInstanceIds == null ? List.of() : List.copyOf(runningInstanceIds);
        }
    }

    /** The host took the machine out of the market at once ({@code enabled}) or put it back. */
    @JsonTypeName("machine.maintenance-mode-changed.v1")
    record MaintenanceModeChanged(EventMeta meta, boolean enabled) implements MachineEvent {}

    /** The driver and CUDA versions the agent reports, published when they change. */
    @JsonTypeName("machine.software-reported.v1")
    record SoftwareReported(EventMeta meta, String driverVersion, String cudaVersion) implements MachineEvent {}

    /**
     * The agent's result for one piece of work ({@code workId}) on one instance's container; a
     * running one says how it is reached ({@code access}, null otherwise).
     */
    @JsonTypeName("machine.container-reported.v1")
    record ContainerReported(EventMeta meta, String workId, String instanceId, ContainerState state, String detail,
            ContainerAccess access) implements MachineEvent {

        public ContainerReported(EventMeta meta, String workId, String instanceId, ContainerState state, String detail) {
            this(meta, workId, instanceId, state, detail, null);
        }
    }

    /** The host announced a maintenance window: offers hidden from {@code start} to {@code end}, renters told now. */
    @JsonTypeName("machine.maintenance-scheduled.v1")
    record MaintenanceScheduled(EventMeta meta, String windowId, Instant start, Instant end, String reason)
            implements MachineEvent {}

    /** The agent reported GPU {@code gpuIndex} faulty (or missing): it is offered to no one until cleared. */
    @JsonTypeName("machine.gpu-fault-reported.v1")
    record GpuFaultReported(EventMeta meta, int gpuIndex, String reason) implements MachineEvent {}

    @JsonTypeName("machine.gpu-fault-cleared.v1")
    record GpuFaultCleared(EventMeta meta, int gpuIndex) implements MachineEvent {}

    /**
     * The machine's DLPerf per GPU in hundredths: from the GPU table at registration
     * (source {@code table}) or from the agent's benchmark ({@code benchmark}), with the
     * table's expected figure (null for an unknown model) and whether the report is within range.
     */
    @JsonTypeName("machine.performance-scored.v1")
    record PerformanceScored(EventMeta meta, long dlperfPerGpuCenti, PerformanceSource source,
            Long expectedPerGpuCenti, boolean withinRange) implements MachineEvent {}

    /** A report looked wrong (the anti-cheating rule): the machine is set aside for an operator's audit. */
    @JsonTypeName("machine.audit-flagged.v1")
    record AuditFlagged(EventMeta meta, String reason) implements MachineEvent {}

    /**
     * The reliability score in millionths and what it was made of, over the rolling window: uptime
     * (with the prior blended in), failed container starts and disconnects during rentals.
     */
    @JsonTypeName("machine.reliability-scored.v1")
    record ReliabilityScored(EventMeta meta, long reliabilityPpm, long uptimePpm, int failedStarts,
            int rentalDisconnects) implements MachineEvent {}

    @JsonTypeName("machine.verification-changed.v1")
    record VerificationChanged(EventMeta meta, Verification stage, String reason) implements MachineEvent {}
}
