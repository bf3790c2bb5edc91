package io.gpumarket.billing.domain;

import io.gpumarket.events.rental.Contract;
import java.math.BigInteger;

/**
 * What usage costs, in micro-dollars, always computed from cumulative totals so rounding happens
 * once: the first {@code s} online seconds cost {@code floor(price × GPUs × s / 3600)}, {@code s}
 * seconds of kept storage {@code floor(price × GB × s / 2 592 000)} (a month is 30 days), {@code b}
 * bytes of traffic (sent plus received) {@code floor(price per TB × b / 10^12)}. A reserved
 * contract's GPU time costs nothing here: it was prepaid ({@link ReservationCharge}). Rounding down
 * favours the client by less than one micro-dollar per kind over the whole rental.
 */
public final class Tariff {
    static final long SECONDS_PER_HOUR = 3_600L;
    static final long SECONDS_PER_MONTH = 30L * 24 * 3_600;
    static final long BYTES_PER_TB = 1_000_000_000_000L;

    private Tariff() {}

    public static long gpuCost(Contract c, long onlineSeconds) {
        return mulDiv(gpuPerHour(c), onlineSeconds, SECONDS_PER_HOUR);
    }

    public static long storageCost(Contract c, long storageSeconds) {
        return mulDiv(storagePerMonth(c), storageSeconds, SECONDS_PER_MONTH);
    }

    public static long bandwidthCost(Contract c, long bytes) {
        return mulDiv(c.bandwidthPricePerTbMicros(), bytes, BYTES_PER_TB);
    }

    /** The instance's cost per hour while online: GPUs and storage (bandwidth depends on use). */
    public static long onlinePerHour(Contract c) {
        return Math.addExact(gpuPerHour(c), storagePerHour(c));
    }

    /** The instance's cost per hour while only its disk is kept. */
    public static long storagePerHour(Contract c) {
        return Math.floorDiv(Math.multiplyExact(storagePerMonth(c), SECONDS_PER_HOUR), SECONDS_PER_MONTH);
    }

    /** {@code floor(a × b / d)} for non-negative operands, exact even where {@code a × b} passes 2^63. */
    static long mulDiv(long a, long b, long d) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        if (high == 0 && low >= 0) {
            return low / d;
        }
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divide(BigInteger.valueOf(d)).longValueExact();
    }

    private static long gpuPerHour(Contract c) {
        return c.gpuPrepaid() ? 0 : Math.multiplyExact(c.gpuPricePerHourMicros(), c.numGpus());
    }

    private static long storagePerMonth(Contract c) {
        return Math.multiplyExact(c.storagePricePerGbMonthMicros(), c.diskGb());
    }
}
