package io.gpumarket.billing.domain;

import io.gpumarket.events.usage.UsageEvent.UsageRecorded;
import java.util.HashMap;
import java.util.Map;

/**
 * What the charger has charged so far, per instance: the cumulative usage its charges cover. Each
 * usage interval moves an instance from what was charged to the component-wise maximum of that and
 * the interval's totals, so an interval read twice, or an older one read after a newer one, adds
 * nothing and charges nothing. Rebuilt by folding the usage log; never forgets an instance.
 */
public final class ChargedUsage {
    private final Map<String, Step> steps = new HashMap<>();

    /** The last move of one instance's charged totals. */
    public record Step(UsageTotals before, UsageTotals after) {}

    /** Folds an interval in and returns the step it makes. */
    public Step record(UsageRecorded u) {
        Step last = steps.get(u.instanceId());
        UsageTotals charged = last == null ? UsageTotals.ZERO : last.after();
        UsageTotals reported = new UsageTotals(u.onlineSecondsTotal(), u.storageSecondsTotal(), u.trafficBytesTotal());
        Step step = new Step(charged, charged.max(reported));
        steps.put(u.instanceId(), step);
        return step;
    }

    /** The step the last interval of this instance made (after {@link #record}). */
    public Step lastStep(String instanceId) {
        Step s = steps.get(instanceId);
        return s == null ? new Step(UsageTotals.ZERO, UsageTotals.ZERO) : s;
    }
}
