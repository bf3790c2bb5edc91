package io.gpumarket.node.domain;

import java.util.Optional;

/**
 * Judges an agent's benchmark against the machine's registered GPU model: in range when the
 * model is the registered one and the figure lies within the table's range for it. Anything else
 * (another model, a figure far above or below, a model the table does not know) is an anomaly to
 * audit, and the figure is not shown to clients.
 */
public final class PerformanceAudit {
    private PerformanceAudit() {}

    public record Verdict(long reportedPerGpuCenti, Long expectedPerGpuCenti, boolean withinRange, String anomaly) {}

    public static Verdict judge(String registeredModel, String reportedModel, long reportedPerGpuCenti) {
        Optional<Long> expected = GpuModels.expectedPerGpuCenti(registeredModel);
        if (reportedModel != null && !GpuModels.same(registeredModel, reportedModel)) {
            return new Verdict(reportedPerGpuCenti, expected.orElse(null), false,
                    "benchmark ran on " + reportedModel + ", registered as " + registeredModel);
        }
        if (expected.isEmpty()) {
            return new Verdict(reportedPerGpuCenti, null, false,
                    "no reference DLPerf for " + registeredModel + ": an operator compares the results");
        }
        long e = expected.get();
        if (reportedPerGpuCenti < GpuModels.low(e) || reportedPerGpuCenti > GpuModels.high(e)) {
            return new Verdict(reportedPerGpuCenti, e, false, "benchmark " + centi(reportedPerGpuCenti)
                    + " DLPerf per GPU, expected " + centi(GpuModels.low(e)) + " to " + centi(GpuModels.high(e))
                    + " for " + registeredModel);
        }
        return new Verdict(reportedPerGpuCenti, e, true, null);
    }

    static String centi(long centi) {
        return java.math.BigDecimal.valueOf(centi, 2).toPlainString();
    }
}
