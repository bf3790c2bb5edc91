package io.gpumarket.events.ledger;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import java.time.Instant;

/**
 * Topic {@code gpumarket.ledger}, key = the account the entry is booked to, written by
 * billing-service. Amounts are integer micro-dollars; a debit is negative. Every event is one
 * balanced posting: what leaves one account arrives in others (a charge moves the client's money
 * to the host and the platform), or crosses the platform's edge (a deposit, a payout).
 * {@code entryId} is derived from what caused the entry, so a repeated cause books the same id.
 */
public sealed interface LedgerEvent extends Event {
    String entryId();

    /** Signed effect on the keyed account's balance, in micro-dollars. */
    long amountMicros();

    @JsonTypeName("ledger.funds-deposited.v1")
    record FundsDeposited(EventMeta meta, String entryId, long amountMicros) implements LedgerEvent {}

    /**
     * A posting about one instance that moves money between its client, its host and the platform:
     * the client's {@code amountMicros} equals −({@code earningMicros} + {@code feeMicros}).
     */
    sealed interface InstancePosting extends LedgerEvent {
        String instanceId();

        String machineId();

        String hostAccountId();

        long feeMicros();

        long earningMicros();
    }

    /**
     * A client pays for one usage interval ({@code amountMicros} = −(gpu + storage + bandwidth)); the
     * same posting credits {@code hostAccountId} with {@code earningMicros} and the platform with
     * {@code feeMicros}, which add up to the charge. {@code ratePerHourMicros} is what the instance
     * cost per hour in that interval (its burn).
     */
    @JsonTypeName("ledger.usage-charged.v1")
    record UsageCharged(EventMeta meta, String entryId, long amountMicros, String instanceId, String machineId,
            String hostAccountId, Instant start, Instant end, long gpuMicros, long storageMicros,
            long bandwidthMicros, long feeMicros, long earningMicros, long ratePerHourMicros) implements InstancePosting {

        public long chargedMicros() {
            return gpuMicros + storageMicros + bandwidthMicros;
        }
    }

    /**
     * A reserved instance's GPU time for its whole term, charged when it is placed
     * ({@code amountMicros} negative), shared between host and platform like any charge.
     */
    @JsonTypeName("ledger.reservation-charged.v1")
    record ReservationCharged(EventMeta meta, String entryId, long amountMicros, String instanceId, String machineId,
            String hostAccountId, Instant from, Instant until, long feeMicros, long earningMicros)
            implements InstancePosting {}

    /**
     * The part of a reservation's prepayment returned when the instance ended early
     * ({@code amountMicros} positive); the host's earning and the platform's fee give back their
     * shares ({@code earningMicros} and {@code feeMicros} negative).
     */
    @JsonTypeName("ledger.reservation-refunded.v1")
    record ReservationRefunded(EventMeta meta, String entryId, long amountMicros, String instanceId, String machineId,
            String hostAccountId, Instant endedAt, long feeMicros, long earningMicros) implements InstancePosting {}

    /**
     * The weekly payout run sent a host its earnings ({@code amountMicros} is negative) for the
     * week ending at {@code periodEnd}; the entry id derives from the host and the week.
     */
    @JsonTypeName("ledger.payout-booked.v1")
    record PayoutBooked(EventMeta meta, String entryId, long amountMicros, Instant periodEnd) implements LedgerEvent {}
}
