package io.gpumarket.offer.domain;

import io.gpumarket.events.offer.OfferIds;
import java.time.Instant;

/**
 * One rentable offer: a machine and a chunk size. CPU and RAM are the chunk's share of the
 * machine. {@code pricePerHourMicros} is the GPUs' price; {@code totalPerHourMicros} adds the
 * disk asked for and the expected traffic, rounded up to the micro-dollar.
 */
public record Offer(String id, MarketMachine machine, int numGpus, int cpuCores, int ramGb, long pricePerHourMicros,
        long totalPerHourMicros) {

    public static Offer of(MarketMachine m, int numGpus, Pricing pricing) {
        long price = Math.multiplyExact(m.gpuPrice(), numGpus);
        long storage = ceilDiv(Math.multiplyExact(m.storagePrice(), pricing.diskGb()), 30L * 24);
        long traffic = ceilDiv(Math.multiplyExact(m.bandwidthPrice(), pricing.trafficGbPerHour()), 1000L);
        return new Offer(OfferIds.of(m.id(), numGpus), m, numGpus, m.cpuCores() * numGpus / m.gpuCount(),
                m.ramGb() * numGpus / m.gpuCount(), price, price + storage + traffic);
    }

    public Instant endDate() {
        return machine.endDate();
    }

    /** What totalPerHour includes beyond the GPUs: the disk asked for and the expected traffic. */
    public record Pricing(long diskGb, long trafficGbPerHour) {}

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
