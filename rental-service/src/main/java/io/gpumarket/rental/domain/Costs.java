package io.gpumarket.rental.domain;

import io.gpumarket.events.rental.Contract;

/**
 * What a rental must be covered for: one hour online (GPUs and its disk), rounded up; a reserved
 * rental's GPU time is prepaid, so its hour is its disk's, and its prepayment is due at once.
 */
public final class Costs {
    private Costs() {}

    public static long hourlyMicros(Contract c) {
        long gpu = c.gpuPrepaid() ? 0 : Math.multiplyExact(c.gpuPricePerHourMicros(), c.numGpus());
        long storageMonth = Math.multiplyExact(c.storagePricePerGbMonthMicros(), c.diskGb());
        return Math.addExact(gpu, -Math.floorDiv(-storageMonth, 30L * 24));
    }

    public static long prepaidMicros(Contract c) {
        return c.gpuPrepaid() ? c.reservation().prepaidMicros() : 0;
    }
}
