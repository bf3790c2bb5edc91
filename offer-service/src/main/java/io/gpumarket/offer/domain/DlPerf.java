package io.gpumarket.offer.domain;

import java.util.Locale;
import java.util.Map;

/**
 * The DLPerf estimate of a GPU model until the machine has its own benchmark: a table of known
 * models, per GPU in hundredths (a V100 scores about 21, a 1080 Ti about 10; seed 002). A chunk
 * scores the per-GPU figure times its GPU count. Unknown models have no estimate.
 */
public final class DlPerf {
    private static final Map<String, Long> PER_GPU_CENTI = Map.ofEntries(
            Map.entry("gtx 1080 ti", 1000L), Map.entry("tesla t4", 700L), Map.entry("tesla v100", 2100L),
            Map.entry("rtx 2080 ti", 1300L), Map.entry("rtx 3060", 800L), Map.entry("rtx 3070", 1100L),
            Map.entry("rtx 3080", 1600L), Map.entry("rtx 3090", 2200L), Map.entry("rtx 4070", 1500L),
            Map.entry("rtx 4080", 2500L), Map.entry("rtx 4090", 3700L), Map.entry("rtx 5090", 5000L),
            Map.entry("rtx a4000", 1200L), Map.entry("rtx a5000", 1700L), Map.entry("rtx a6000", 2500L),
            Map.entry("l4", 1200L), Map.entry("l40s", 4000L), Map.entry("a40", 2400L),
            Map.entry("a100 pcie", 4500L), Map.entry("a100 sxm4", 5500L), Map.entry("h100 pcie", 7000L),
            Map.entry("h100 sxm", 9500L), Map.entry("h200", 10500L));

    private DlPerf() {}

    public static Long perGpuCenti(String gpuModel) {
        return PER_GPU_CENTI.get(gpuModel.trim().toLowerCase(Locale.ROOT));
    }
}
