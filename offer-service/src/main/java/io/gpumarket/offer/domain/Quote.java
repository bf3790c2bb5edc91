package io.gpumarket.offer.domain;

import io.gpumarket.events.offer.ListingTerms;
import io.gpumarket.events.rental.RentalType;
import io.gpumarket.events.rental.Reservation;

/**
 * What a search prices: the rental type (on-demand pays the host's price, an interruptible at
 * least the minimum bid, a reservation the price per GPU-hour its contract would carry:
 * {@link Reservation}'s schedule, only on listings that last that long), the disk asked for and the
 * expected traffic per hour. All sums in micro-dollars; the disk and traffic rounded up to the
 * micro-dollar. Storage is per GB-month of 30 days, bandwidth per TB of 1000 GB.
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
            case RESERVED -> Math.multiplyExact(Reservation.discountedPerHour(t.gpuPricePerHourMicros(),
                    discountBps(t)), numGpus);
        };
    }

    /** The reservation discount for these terms, in basis points (0 for other types). */
    public int discountBps(ListingTerms t) {
        return type == RentalType.RESERVED ? Reservation.discountBps(t.reservedDiscountMaxBps(), reservedMonths) : 0;
    }

    /**
     * The query with what this quote implies, as terms an explanation can name: machines with the
     * asked disk ({@code diskAsked}: the disk was asked for, not defaulted), and for a reservation
     * listings that last its months (of 30 days).
     */
    public OfferQuery narrow(OfferQuery query, boolean diskAsked) {
        OfferQuery out = query;
        if (diskAsked) {
            out = out.and(OfferQuery.term(Field.DISK_SPACE, Term.Op.GTE, Long.toString(diskGb), "diskGb=" + diskGb));
        }
        if (type == RentalType.RESERVED) {
            int days = reservedMonths * 30;
            out = out.and(OfferQuery.term(Field.DURATION, Term.Op.GTE, Integer.toString(days),
                    "reservedMonths=" + reservedMonths + " (" + days + " days left)"));
        }
        return out;
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

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
