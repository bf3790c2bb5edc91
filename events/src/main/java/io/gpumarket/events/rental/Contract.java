package io.gpumarket.events.rental;

import java.time.Instant;

/**
 * What a rental costs and holds, fixed when it is requested: the GPUs (model and count) and the disk, the price per
 * GPU-hour (the host's price, the bid, or the reserved price), storage per GB-month, bandwidth per TB, all in
 * micro-dollars, and the contract's end. A reserved contract carries its {@link Reservation} (its GPU time
 * is prepaid, so usage intervals charge its storage and traffic only) and ends with it; others carry none.
 */
public record Contract(
        RentalType type,
        String gpuModel,
        int numGpus,
        int diskGb,
        long gpuPricePerHourMicros,
        long storagePricePerGbMonthMicros,
        long bandwidthPricePerTbMicros,
        Instant endDate,
        Reservation reservation) {

    public Contract(RentalType type, String gpuModel, int numGpus, int diskGb, long gpuPricePerHourMicros,
            long storagePricePerGbMonthMicros, long bandwidthPricePerTbMicros, Instant endDate) {
        this(type, gpuModel, numGpus, diskGb, gpuPricePerHourMicros, storagePricePerGbMonthMicros,
                bandwidthPricePerTbMicros, endDate, null);
    }

    /** True when GPU time is paid up front, not per second. */
    public boolean gpuPrepaid() {
        return reservation != null;
    }

    /** The same contract ending at another time (the host extended it). */
    public Contract withEndDate(Instant end) {
        return new Contract(type, gpuModel, numGpus, diskGb, gpuPricePerHourMicros, storagePricePerGbMonthMicros,
                bandwidthPricePerTbMicros, end, reservation);
    }

    /** The same contract at another price per GPU-hour (an interruptible's new bid). */
    public Contract withGpuPrice(long pricePerHourMicros) {
        return new Contract(type, gpuModel, numGpus, diskGb, pricePerHourMicros, storagePricePerGbMonthMicros,
                bandwidthPricePerTbMicros, endDate, reservation);
    }
}
