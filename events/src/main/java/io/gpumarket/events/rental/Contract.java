package io.gpumarket.events.rental;

import java.time.Instant;

/**
 * What a rental costs and holds, fixed when it is requested: the GPUs (model and count) and the disk, the price per
 * GPU-hour (the host's price, or the bid), storage per GB-month, bandwidth per TB, all in
 * micro-dollars, and the contract's end.
 */
public record Contract(
        RentalType type,
        String gpuModel,
        int numGpus,
        int diskGb,
        long gpuPricePerHourMicros,
        long storagePricePerGbMonthMicros,
        long bandwidthPricePerTbMicros,
        Instant endDate) {

    /** The same contract ending at another time (the host extended it). */
    public Contract withEndDate(Instant end) {
        return new Contract(type, gpuModel, numGpus, diskGb, gpuPricePerHourMicros, storagePricePerGbMonthMicros,
                bandwidthPricePerTbMicros, end);
    }
}
