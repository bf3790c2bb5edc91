package io.gpumarket.events.machine;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import java.util.List;

/**
 * Topic {@code gpumarket.machines}, key = machine id, written by node-service: registrations and
 * their hardware checks, online/offline facts, and what the host agents report about containers.
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

    /** The agent's result for one piece of work ({@code workId}) on one instance's container. */
    @JsonTypeName("machine.container-reported.v1")
    record ContainerReported(EventMeta meta, String workId, String instanceId, ContainerState state, String detail)
            implements MachineEvent {}
}
