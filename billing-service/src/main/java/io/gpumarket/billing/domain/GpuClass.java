package io.gpumarket.billing.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The three GPU classes of the usage-fee model (seed 004): consumer cards (GeForce and the like),
 * professional workstation cards (RTX A-series, Quadro, Radeon Pro, RTX Ada workstation parts) and
 * datacenter accelerators (Tesla, A100, H100, L4, L40S, Instinct and the like). A model recognised
 * as neither professional nor datacenter is consumer, the cheapest class.
 */
public enum GpuClass {
    CONSUMER, PROFESSIONAL, DATACENTER;

    private static final Pattern PROFESSIONAL_MODEL =
            Pattern.compile("\\b(rtx a\\d{3,4}|quadro|radeon pro|rtx [2-6]000( ada)?|ada generation)\\b");
    private static final Pattern DATACENTER_MODEL =
            Pattern.compile("\\b(tesla|instinct|mi\\d{3}\\w*|gh\\d{3}|[abhl]\\d{1,3}s?|v100|p100|t4)\\b");

    public static GpuClass of(String model) {
        String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
        if (PROFESSIONAL_MODEL.matcher(m).find()) {
            return PROFESSIONAL;
        }
        if (DATACENTER_MODEL.matcher(m).find()) {
            return DATACENTER;
        }
        return CONSUMER;
    }
}
