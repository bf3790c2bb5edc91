package io.gpumarket.events.usage;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.rental.Contract;
import java.time.Instant;

/**
 * Topic {@code gpumarket.usage}, key = machine id, written by rental-service: usage intervals per
 * instance, closed at each status change and at least every 4 s while open, with one-second
 * boundaries. Each interval also carries the instance's running totals after it (online seconds,
 * seconds of kept storage, and the bytes its container sent and received as the host agent counted
 * them), so billing prices cumulative usage and rounding never drifts. The totals run per
 * {@code meter}: when an interruptible's bid changes, the instance starts a new meter (totals from
 * zero at the new price), so each price is applied to its own cumulative usage. Reserved
 * instances prepay their GPU time: {@link ReservationPrepaid} when the machine accepts one,
 * {@link ReservationEnded} when it ends before its term (billing refunds by the reservation's rule).
 */
public sealed interface UsageEvent extends Event {

    @JsonTypeName("usage.recorded.v1")
    record UsageRecorded(EventMeta meta, String instanceId, String accountId, String hostAccountId, Instant start,
            Instant end, Contract contract, long onlineSeconds, long storageSeconds, long trafficBytes,
            long onlineSecondsTotal, long storageSecondsTotal, long trafficBytesTotal, int meter)
            implements UsageEvent {

        /** What billing's cumulative totals are kept under: the instance, and the meter if not the first. */
        public String meterKey() {
            return meter == 0 ? instanceId : instanceId + "#" + meter;
        }
    }

    /** A reserved instance was placed: its GPU time for the whole term is to be charged now. */
    @JsonTypeName("usage.reservation-prepaid.v1")
    record ReservationPrepaid(EventMeta meta, String instanceId, String accountId, String hostAccountId,
            Contract contract) implements UsageEvent {}

    /**
     * A reserved instance ended at {@code endedAt}, before its term (terminated, or it never started):
     * billing refunds what {@code Reservation.refundMicros} says.
     */
    @JsonTypeName("usage.reservation-ended.v1")
    record ReservationEnded(EventMeta meta, String instanceId, String accountId, String hostAccountId,
            Contract contract, Instant endedAt) implements UsageEvent {}
}
