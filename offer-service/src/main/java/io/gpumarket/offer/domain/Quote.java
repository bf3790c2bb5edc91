package io.gpumarket.offer.domain;

import io.gpumarket.events.offer.ListingTerms;
import io.gpumarket.events.rental.RentalType;
import java.time.Instant;

/**
 * What a search prices: the rental type (on-demand pays the host's price, an interruptible at
 * least the minimum bid, a reservation the host's price less a discount that grows with its
 * months: {@code max × m / (m + 1)}, so half the maximum for one month and three quarters for
 * three), the disk asked for and the expected traffic per hour. All sums in micro-dollars, rounded
 * up to the micro-dollar. Storage is per GB-month of 30 days, bandwidth per TB of 1000 GB.
 */
public record Quote(RentalType type, int reservedMonths, long diskGb, long trafficGbPerHour) {
    private static final long HOURS_PER_MONTH = 30L * 24;

    public Quote {
        if (type == RentalType.RESERVED && reservedMonths < 1) {
            throw new IllegalArgumentException("a reserved quote needs at least one month");
        }
    }

    /** The GPUs' price per hour of {@code numGpus} GPUs under these terms for this rental type. */
    public long gpuPricePerHour(ListingTerms t, int numGpus) {
        return switch (type) {
            case ONDEMAND -> Math.multiplyExact(t.gpuPricePerHourMicros(), numGpus);
            case INTERRUPTIBLE -> Math.multiplyExact(t.minBidPerHourMicros(), numGpus);
            case RESERVED -> ceilDiv(Math.multiplyExact(Math.multiplyExact(t.gpuPricePerHourMicros(), numGpus),
                    10_000L - discountBps(t)), 10_000L);
        };
    }

    /** The reservation discount for these terms, in basis points (0 for other types). */
    public long discountBps(ListingTerms t) {
        return type == RentalType.RESERVED ? (long) t.reservedDiscountMaxBps() * reservedMonths / (reservedMonths + 1) : 0;
    }

    /** The GPUs plus the asked disk and the expected traffic. */
    public long totalPerHour(ListingTerms t, int numGpus) {
        return gpuPricePerHour(t, numGpus) + extrasPerHour(t);
    }

    /** What {@code totalPerHour} adds to the GPUs: the asked disk and the expected traffic, each rounded up. */
    public long extrasPerHour(ListingTerms t) {
        long storage = ceilDiv(Math.multiplyExact(t.storagePricePerGbMonthMicros(), diskGb), HOURS_PER_MONTH);
        long traffic = ceilDiv(Math.multiplyExact(t.bandwidthPricePerTbMicros(), trafficGbPerHour), 1000L);
        return storage + traffic;
    }

    /** A reservation must fit before the listing ends (months of 30 days). */
    public boolean fits(ListingTerms t, Instant now) {
        return type != RentalType.RESERVED || !now.plusSeconds(reservedMonths * 30L * 86_400).isAfter(t.endDate());
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
