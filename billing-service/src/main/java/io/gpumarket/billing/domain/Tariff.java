package io.gpumarket.billing.domain;

import io.gpumarket.events.rental.Contract;

/**
 * What usage costs, in micro-dollars, always computed from cumulative totals so rounding happens
 * once: the cost of the first {@code s} online seconds is {@code floor(price × GPUs × s / 3600)},
 * of {@code s} seconds of kept storage {@code floor(price × GB × s / 2 592 000)} (a month is 30
 * days). Rounding down favours the client by less than one micro-dollar over the whole rental.
 */
public final class Tariff {
    static final long SECONDS_PER_HOUR = 3_600L;
    static final long SECONDS_PER_MONTH = 30L * 24 * 3_600;

    private Tariff() {}

    public static long gpuCost(Contract c, long onlineSeconds) {
        return Math.floorDiv(Math.multiplyExact(Math.multiplyExact(c.gpuPricePerHourMicros(), c.numGpus()),
                onlineSeconds), SECONDS_PER_HOUR);
    }

    public static long storageCost(Contract c, long storageSeconds) {
        return Math.floorDiv(Math.multiplyExact(Math.multiplyExact(c.storagePricePerGbMonthMicros(), c.diskGb()),
                storageSeconds), SECONDS_PER_MONTH);
    }
}
