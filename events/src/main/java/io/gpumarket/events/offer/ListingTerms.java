package io.gpumarket.events.offer;

import java.time.Instant;

/**
 * A host's listing of one machine. Prices in micro-dollars: GPU per GPU-hour, storage per
 * GB-month (30 days), bandwidth per TB (10^12 bytes). {@code reservedDiscountMaxBps} is in basis
 * points (0..10000). Every contract made from the listing ends at {@code endDate}.
 */
public record ListingTerms(
        long gpuPricePerHourMicros,
        long storagePricePerGbMonthMicros,
        long bandwidthPricePerTbMicros,
        int minGpus,
        long minBidPerHourMicros,
        int reservedDiscountMaxBps,
        Instant endDate) {}
