package io.gpumarket.events.rental;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import java.util.List;

/**
 * Topic {@code gpumarket.rentals}, written by rental-service. It carries two aggregates:
 * {@link AccountRentalEvent}s keyed by the renting account (admission: the one-hour cover and the
 * five-instance limit) and {@link MachineRentalEvent}s keyed by the machine (GPU allocation and
 * the work sent to its host agent). A rental is a saga of single-writer steps between them.
 */
public sealed interface RentalEvent extends Event {
    /** Every rental event is about one instance. */
    String instanceId();

    /** Key = account id. */
    sealed interface AccountRentalEvent extends RentalEvent {}

    /** Key = machine id. */
    sealed interface MachineRentalEvent extends RentalEvent {}

    @JsonTypeName("rental.requested.v1")
    record RentalRequested(EventMeta meta, String instanceId, String accountId, String offerId, String machineId,
            String hostAccountId, String label, Contract contract, ContainerSpec container)
            implements AccountRentalEvent {}

    /**
     * Admission passed: the instance counts for the account at {@code hourlyCostMicros} of cover, and
     * a reserved one's prepayment ({@code prepaidMicros}, else 0) is held back until billing books it.
     */
    @JsonTypeName("rental.approved.v1")
    record RentalApproved(EventMeta meta, String instanceId, String machineId, long hourlyCostMicros,
            long prepaidMicros) implements AccountRentalEvent {}

    @JsonTypeName("rental.rejected.v1")
    record RentalRejected(EventMeta meta, String instanceId, RejectionReason reason, String detail)
            implements AccountRentalEvent {}

    /** The machine tells the account an instance no longer holds resources (ended or failed). */
    @JsonTypeName("rental.instance-released.v1")
    record InstanceReleased(EventMeta meta, String instanceId, String finalStatus) implements AccountRentalEvent {}

    @JsonTypeName("rental.placement-requested.v1")
    record PlacementRequested(EventMeta meta, String instanceId, String accountId, String hostAccountId,
            String label, Contract contract, ContainerSpec container) implements MachineRentalEvent {}

    /** GPUs now held by an instance of {@code rentalType} (interruptibles' GPUs can be taken by on-demand rentals). */
    @JsonTypeName("rental.gpus-allocated.v1")
    record GpusAllocated(EventMeta meta, String instanceId, List<Integer> gpuIndexes, RentalType rentalType)
            implements MachineRentalEvent {}

    @JsonTypeName("rental.gpus-released.v1")
    record GpusReleased(EventMeta meta, String instanceId, List<Integer> gpuIndexes) implements MachineRentalEvent {}

    /**
     * The machine took an instance that cannot have GPUs at once: an interruptible (its bid is
     * weighed against the others'), or a rental that preempts interruptibles and waits for
     * {@code claimedGpus} until the agent has stopped them.
     */
    @JsonTypeName("rental.placement-accepted.v1")
    record PlacementAccepted(EventMeta meta, String instanceId, List<Integer> claimedGpus)
            implements MachineRentalEvent {}

    @JsonTypeName("rental.placement-refused.v1")
    record PlacementRefused(EventMeta meta, String instanceId, RejectionReason reason, String detail)
            implements MachineRentalEvent {}

    /**
     * A request to terminate an instance on this machine: from its owner through the API, or from
     * the account's aggregate when a suspension outlasted its grace period; {@code reason} says which.
     */
    @JsonTypeName("rental.termination-requested.v1")
    record TerminationRequested(EventMeta meta, String instanceId, String accountId, String reason)
            implements MachineRentalEvent {}

    /** The owner asks to stop a running instance: its container stops, its GPUs are freed, its disk is kept. */
    @JsonTypeName("rental.stop-requested.v1")
    record StopRequested(EventMeta meta, String instanceId, String accountId) implements MachineRentalEvent {}

    /** The owner asks to start a stopped instance again, on the same GPUs (waiting in scheduling until they are free). */
    @JsonTypeName("rental.start-requested.v1")
    record StartRequested(EventMeta meta, String instanceId, String accountId) implements MachineRentalEvent {}

    /** The owner asks to restart a running instance's container in place (same GPUs, same disk). */
    @JsonTypeName("rental.restart-requested.v1")
    record RestartRequested(EventMeta meta, String instanceId, String accountId) implements MachineRentalEvent {}

    /** The owner asks to replace the SSH keys of an instance (installed at once if it runs, else at its next start). */
    @JsonTypeName("rental.ssh-keys-change-requested.v1")
    record SshKeysChangeRequested(EventMeta meta, String instanceId, String accountId, List<String> sshPublicKeys)
            implements MachineRentalEvent {}

    /** The instance's SSH keys are now {@code sshPublicKeys}. */
    @JsonTypeName("rental.ssh-keys-changed.v1")
    record SshKeysChanged(EventMeta meta, String instanceId, List<String> sshPublicKeys)
            implements MachineRentalEvent {}

    /** The owner of an interruptible instance asks to bid {@code bidPerHourMicros} per GPU-hour from now on. */
    @JsonTypeName("rental.bid-change-requested.v1")
    record BidChangeRequested(EventMeta meta, String instanceId, String accountId, long bidPerHourMicros)
            implements MachineRentalEvent {}

    /**
     * An interruptible's bid changed: its usage from now on is metered on {@code meter} (totals from
     * zero, at the new price); {@code trafficBaseBytes} is the traffic counted before it.
     */
    @JsonTypeName("rental.bid-changed.v1")
    record BidChanged(EventMeta meta, String instanceId, long bidPerHourMicros, int meter, long trafficBaseBytes)
            implements MachineRentalEvent {}

    /**
     * The account aggregate tells the machine that the instance's owner was suspended (balance at
     * zero): the machine stops metering it and stops its container.
     */
    @JsonTypeName("rental.owner-suspended.v1")
    record OwnerSuspended(EventMeta meta, String instanceId, String accountId) implements MachineRentalEvent {}

    /** The account aggregate tells the machine that the instance's owner is active again. */
    @JsonTypeName("rental.owner-reactivated.v1")
    record OwnerReactivated(EventMeta meta, String instanceId, String accountId) implements MachineRentalEvent {}

    /** The machine stopped metering an instance: nothing is charged for it from now on, whatever its status. */
    @JsonTypeName("rental.metering-paused.v1")
    record MeteringPaused(EventMeta meta, String instanceId, String reason) implements MachineRentalEvent {}

    /** Metering of the instance resumes from this event's time, as its status says. */
    @JsonTypeName("rental.metering-resumed.v1")
    record MeteringResumed(EventMeta meta, String instanceId) implements MachineRentalEvent {}

    /** The host extended the listing: this instance's contract now ends at {@code endDate}. */
    @JsonTypeName("rental.contract-extended.v1")
    record ContractExtended(EventMeta meta, String instanceId, java.time.Instant endDate) implements MachineRentalEvent {}

    /** Work for the machine's host agent; node-service delivers it until the agent reports on it. */
    @JsonTypeName("rental.work-issued.v1")
    record WorkIssued(EventMeta meta, String workId, String instanceId, WorkAction action, List<Integer> gpuIndexes,
            int diskGb, ContainerSpec container) implements MachineRentalEvent {}

    /**
     * Something the renter of an instance must know ahead of time, shown on the instance:
     * {@code kind} "maintenance" (with the window's {@code start} and {@code end}) or "gpu-fault".
     */
    @JsonTypeName("rental.notice-issued.v1")
    record NoticeIssued(EventMeta meta, String instanceId, String accountId, String kind, String message,
            java.time.Instant start, java.time.Instant end) implements MachineRentalEvent {}
}
