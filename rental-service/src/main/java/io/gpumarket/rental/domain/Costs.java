package io.gpumarket.rental.domain;

import io.gpumarket.events.rental.Contract;

/** What a rental must be covered for: one hour online (GPUs and its disk), rounded up. */
public final class Costs {
    private Costs() {}

    public static long hourlyMicros(Contract c) {
        long gpu = Math.multiplyExact(c.gpuPricePerHourMicros(), c.numGpus());
        long storageMonth = Math.multiplyExact(c.storagePricePerGbMonthMicros(), c.diskGb());
        return Math.addExact(gpu, -Math.floorDiv(-storageMonth, 30L * 24));
    }
}
