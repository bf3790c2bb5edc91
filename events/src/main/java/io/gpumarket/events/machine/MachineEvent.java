package io.gpumarket.events.machine;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import java.util.List;

/**
 * Topic {@code gpumarket.machines}, key = machine id, written by node-service: registrations and
 * their hardware checks, online/offline and maintenance facts, the software the agents report, and
 * what they report about containers.
 * Only the SHA-256 hash of a machine's agent token is ever on the log.
 */
public sealed interface MachineEvent extends Event {

    @JsonTypeName("machine.registered.v1")
    record MachineRegistered(EventMeta meta, String hostAccountId, MachineSpec spec, List<CheckResult> checks,
            String agentTokenHash) implements MachineEvent {}

    @JsonTypeName("machine.came-online.v1")
    record MachineCameOnline(EventMeta meta, String agentVersion) implements MachineEvent {}

    @JsonTypeName("machine.went-offline.v1")
    record MachineWentOffline(EventMeta meta, String reason) implements MachineEvent {}

    /** The host took the machine out of the market at once ({@code enabled}) or put it back. */
    @JsonTypeName("machine.maintenance-mode-changed.v1")
    record MaintenanceModeChanged(EventMeta meta, boolean enabled) implements MachineEvent {}

    /** The driver and CUDA versions the agent reports, published when they change. */
    @JsonTypeName("machine.software-reported.v1")
    record SoftwareReported(EventMeta meta, String driverVersion, String cudaVersion) implements MachineEvent {}

    /** The agent's result for one piece of work ({@code workId}) on one instance's container. */
    @JsonTypeName("machine.container-reported.v1")
    record ContainerReported(EventMeta meta, String workId, String instanceId, ContainerState state, String detail)
            implements MachineEvent {}
}
