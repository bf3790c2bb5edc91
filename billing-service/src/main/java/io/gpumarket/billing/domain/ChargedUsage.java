package io.gpumarket.billing.domain;

import io.gpumarket.events.usage.UsageEvent.UsageRecorded;
import java.util.HashMap;
import java.util.Map;

/**
 * What the charger has charged so far, per instance and meter (a new bid starts a new meter): the
 * cumulative usage its charges cover, and which reservations it has charged and refunded. Each
 * usage interval moves a meter from what was charged to the component-wise maximum of that and
 * the interval's totals, so an interval read twice, or an older one read after a newer one, adds
 * nothing and charges nothing; a reservation event read again books nothing. Rebuilt by
 * folding the usage log; never forgets an instance.
 */
public final class ChargedUsage {
    private final Map<String, Step> steps = new HashMap<>();
    private final Map<String, Integer> reservationEvents = new HashMap<>();

    /** The last move of one instance's charged totals. */
    public record Step(UsageTotals before, UsageTotals after) {}

    /** Folds an interval in and returns the step it makes. */
    public Step record(UsageRecorded u) {
        Step last = steps.get(u.meterKey());
        UsageTotals charged = last == null ? UsageTotals.ZERO : last.after();
        UsageTotals reported = new UsageTotals(u.onlineSecondsTotal(), u.storageSecondsTotal(), u.trafficBytesTotal());
        Step step = new Step(charged, charged.max(reported));
        steps.put(u.meterKey(), step);
        return step;
    }

    /** Folds in a reservation's prepayment or end ({@code kind}) of an instance. */
    public void recordReservation(String kind, String instanceId) {
        reservationEvents.merge(kind + ":" + instanceId, 1, Integer::sum);
    }

    /** True if this reservation event of this instance was folded in exactly once so far. */
    public boolean reservationSeenOnce(String kind, String instanceId) {
        return reservationEvents.getOrDefault(kind + ":" + instanceId, 0) == 1;
    }

    /** The step the last interval of this meter made (after {@link #record}). */
    public Step lastStep(String meterKey) {
        Step s = steps.get(meterKey);
        return s == null ? new Step(UsageTotals.ZERO, UsageTotals.ZERO) : s;
    }
}
