package io.gpumarket.events.rental;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The prepaid part of a reserved contract: {@code months} of 30 days from {@code from} (to the
 * second, like all metering) to
 * {@code until}, at the host's on-demand price less {@code discountBps}, paid up front
 * ({@code prepaidMicros}). The discount grows with the term by {@link #discountBps(int, int)}:
 * {@code max × m / (m + 1)} for {@code m} months (with the host's maximum of 40 %: 20 % for one
 * month, 30 % for three, 36 % for nine, 36.9 % for a year). Ended early, the time used is priced
 * again at the discount its whole months earned (none under a month) and the rest of the
 * prepayment is refunded: {@link #refundMicros(Instant)}.
 */
public record Reservation(
        int months,
        int discountMaxBps,
        int discountBps,
        int numGpus,
        long onDemandPricePerHourMicros,
        Instant from,
        Instant until,
        long prepaidMicros) {
    public static final int MAX_MONTHS = 36;
    public static final Duration MONTH = Duration.ofDays(30);
    private static final long HOURS_PER_MONTH = 30L * 24;
    private static final long BPS = 10_000;

    /** The reservation a client gets for {@code months} from {@code from} on a listing's terms. */
    public static Reservation of(int months, int discountMaxBps, int numGpus, long onDemandPricePerHourMicros,
            Instant from) {
        if (months < 1 || months > MAX_MONTHS) {
            throw new IllegalArgumentException("months must be 1.." + MAX_MONTHS + ", got " + months);
        }
        int discount = discountBps(discountMaxBps, months);
        long prepaid = Math.multiplyExact(Math.multiplyExact(discountedPerHour(onDemandPricePerHourMicros, discount),
                numGpus), HOURS_PER_MONTH * months);
        Instant start = from.truncatedTo(ChronoUnit.SECONDS);
        return new Reservation(months, discountMaxBps, discount, numGpus, onDemandPricePerHourMicros, start,
                start.plus(MONTH.multipliedBy(months)), prepaid);
    }

    /** The discount for a term of {@code months} whole months: {@code floor(max × m / (m + 1))}, none for 0. */
    public static int discountBps(int discountMaxBps, long months) {
        if (months <= 0) {
            return 0;
        }
        return (int) (discountMaxBps * months / (months + 1));
    }

    /** The price per GPU-hour after a discount, rounded down. */
    public static long discountedPerHour(long onDemandPricePerHourMicros, int discountBps) {
        return mulDiv(onDemandPricePerHourMicros, BPS - discountBps, BPS);
    }

    /** The reserved price per GPU-hour, which the contract shows. */
    public long pricePerHourMicros() {
        return discountedPerHour(onDemandPricePerHourMicros, discountBps);
    }

    /**
     * What goes back to the client when the instance ends at {@code endedAt}: nothing at or after
     * {@link #until()}; otherwise the prepayment less the time used (from {@link #from()}, to the
     * second) priced at the on-demand price with the discount of the whole months used, never
     * below zero. An instance that never ran ({@code endedAt} at or before {@code from}) gets it all.
     */
    public long refundMicros(Instant endedAt) {
        if (!endedAt.isBefore(until)) {
            return 0;
        }
        long used = Math.max(0, Duration.between(from, endedAt).toSeconds());
        long earned = discountBps(discountMaxBps, used / MONTH.toSeconds());
        long perHour = Math.multiplyExact(discountedPerHour(onDemandPricePerHourMicros, (int) earned), numGpus);
        long usedCost = mulDiv(perHour, used, 3_600);
        return Math.max(0, prepaidMicros - usedCost);
    }

    /** {@code floor(a × b / d)} for non-negative operands, exact past 2^63. */
    private static long mulDiv(long a, long b, long d) {
        if (Math.multiplyHigh(a, b) == 0 && a * b >= 0) {
            return a * b / d;
        }
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divide(BigInteger.valueOf(d)).longValueExact();
    }
}
