package io.gpumarket.node.domain;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The GPU models node-service knows and the DLPerf per GPU each is expected to score, in
 * hundredths (a V100 about 21, a 1080 Ti about 10; seed 002). A machine is scored from this table
 * at registration until its agent reports a benchmark; a benchmark outside
 * {@value #LOW_PERCENT}–{@value #HIGH_PERCENT} % of the figure is out of range (seed 002's
 * anti-cheating rule: anomalous performance gets audited).
 */
public final class GpuModels {
    public static final int LOW_PERCENT = 70;
    public static final int HIGH_PERCENT = 130;

    private static final Map<String, Long> PER_GPU_CENTI = Map.ofEntries(
            Map.entry("gtx 1080 ti", 1000L), Map.entry("tesla t4", 700L), Map.entry("tesla v100", 2100L),
            Map.entry("rtx 2080 ti", 1300L), Map.entry("rtx 3060", 800L), Map.entry("rtx 3070", 1100L),
            Map.entry("rtx 3080", 1600L), Map.entry("rtx 3090", 2200L), Map.entry("rtx 4070", 1500L),
            Map.entry("rtx 4080", 2500L), Map.entry("rtx 4090", 3700L), Map.entry("rtx 5090", 5000L),
            Map.entry("rtx a4000", 1200L), Map.entry("rtx a5000", 1700L), Map.entry("rtx a6000", 2500L),
            Map.entry("l4", 1200L), Map.entry("l40s", 4000L), Map.entry("a40", 2400L),
            Map.entry("a100 pcie", 4500L), Map.entry("a100 sxm4", 5500L), Map.entry("h100 pcie", 7000L),
            Map.entry("h100 sxm", 9500L), Map.entry("h200", 10500L));

    private GpuModels() {}

    public static Optional<Long> expectedPerGpuCenti(String gpuModel) {
        return Optional.ofNullable(PER_GPU_CENTI.get(key(gpuModel)));
    }

    /** Whether two model names are the same model (case and spacing aside). */
    public static boolean same(String a, String b) {
        return key(a).equals(key(b));
    }

    static long low(long expected) {
        return expected * LOW_PERCENT / 100;
    }

    static long high(long expected) {
        return expected * HIGH_PERCENT / 100;
    }

    private static String key(String model) {
        return model.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
