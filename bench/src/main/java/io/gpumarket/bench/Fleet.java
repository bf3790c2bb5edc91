package io.gpumarket.bench;

import io.gpumarket.events.offer.OfferIds;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded, plausible fleet: GPU models from consumer cards to H100s at market-like prices (±30 %),
 * 1 to 10 GPUs per machine, fourteen regions, specs that pass the hardware checks, listings that end
 * in 30 to 180 days. Machines are added until their offers (chunks) reach the target.
 */
final class Fleet {
    record Model(String name, int vramGb, long priceMicros) {}

    static final List<Model> MODELS = List.of(new Model("RTX 3060", 12, 80_000), new Model("RTX 3080", 10, 120_000),
            new Model("RTX 3090", 24, 200_000), new Model("RTX 4070", 12, 150_000),
            new Model("RTX 4080", 16, 250_000), new Model("RTX 4090", 24, 400_000),
            new Model("RTX A6000", 48, 450_000), new Model("L40S", 48, 800_000), new Model("A100 PCIe", 40, 1_100_000),
            new Model("A100 SXM4", 80, 1_400_000), new Model("H100 PCIe", 80, 2_000_000),
            new Model("H100 SXM", 80, 2_500_000));
    static final List<String> REGIONS = List.of("US-CA", "US-TX", "US-NY", "CA-QC", "EU-DE", "EU-NL", "EU-FR",
            "EU-SE", "UK", "AP-JP", "AP-SG", "AU", "BR", "IN");
    private static final int[] GPU_COUNTS = {1, 2, 4, 8, 10};
    private static final int[] COUNT_WEIGHTS = {10, 15, 30, 40, 5};

    record Machine(int index, Map<String, Object> spec, Map<String, Object> listing, int offers) {}

    static List<Machine> generate(long seed, int targetOffers, Instant now) {
        Random random = new Random(seed);
        List<Machine> out = new ArrayList<>();
        int offers = 0;
        while (offers < targetOffers) {
            Model model = MODELS.get(random.nextInt(MODELS.size()));
            int gpus = pick(random);
            int minGpus = gpus >= 2 && random.nextInt(10) < 3 ? 2 : 1;
            int chunks = Math.min(OfferIds.chunkSizes(gpus, minGpus).size(), targetOffers - offers);
            if (chunks < OfferIds.chunkSizes(gpus, minGpus).size()) {
                gpus = 1;
                minGpus = 1;
                chunks = 1;
            }
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("name", "bench-" + out.size());
            spec.put("gpuModel", model.name());
            spec.put("gpuCount", gpus);
            spec.put("gpuRamGb", model.vramGb());
            spec.put("cpuCores", gpus * (4 + random.nextInt(5)));
            spec.put("ramGb", 2 * model.vramGb() * gpus + 16 * random.nextInt(8));
            spec.put("diskGb", gpus * (200 + 100 * random.nextInt(9)));
            spec.put("region", REGIONS.get(random.nextInt(REGIONS.size())));
            spec.put("inetUpMbps", 100 * (1 + random.nextInt(100)));
            spec.put("inetDownMbps", 100 * (1 + random.nextInt(100)));
            spec.put("pcieGen", 4);
            spec.put("pcieLanesPerGpu", random.nextBoolean() ? 16 : 8);
            long price = model.priceMicros() * (70 + random.nextInt(61)) / 100 / 1000 * 1000;
            Map<String, Object> listing = new LinkedHashMap<>();
            listing.put("gpuPricePerHour", decimal(price));
            listing.put("storagePricePerGbMonth", decimal(50_000 + 10_000L * random.nextInt(16)));
            listing.put("bandwidthPricePerTb", decimal(1_000_000L * (1 + random.nextInt(8))));
            listing.put("minGpus", minGpus);
            listing.put("minBidPerHour", decimal(price / 4 / 1000 * 1000));
            listing.put("reservedDiscountMax", "0." + (2 + random.nextInt(4)));
            listing.put("endDate", now.plus(30 + random.nextInt(151), ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)
                    .toString());
            out.add(new Machine(out.size(), spec, listing, chunks));
            offers += chunks;
        }
        return out;
    }

    private static int pick(Random random) {
        int total = 0;
        for (int w : COUNT_WEIGHTS) {
            total += w;
        }
        int r = random.nextInt(total);
        for (int i = 0; i < GPU_COUNTS.length; i++) {
            r -= COUNT_WEIGHTS[i];
            if (r < 0) {
                return GPU_COUNTS[i];
            }
        }
        return 1;
    }

    private static String decimal(long micros) {
        return java.math.BigDecimal.valueOf(micros, 6).toPlainString();
    }
}
