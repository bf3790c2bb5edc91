package io.gpumarket.kit.api;

import io.gpumarket.events.money.Money;
import io.gpumarket.events.offer.ListingTerms;
import java.math.BigDecimal;
import java.time.Instant;

/** A listing as the API shows it: prices as decimal strings, the reserved discount as a fraction. */
public record ListingView(String gpuPricePerHour, String storagePricePerGbMonth, String bandwidthPricePerTb,
        int minGpus, String minBidPerHour, String reservedDiscountMax, Instant endDate) {

    public static ListingView of(ListingTerms t) {
        return new ListingView(Money.format(t.gpuPricePerHourMicros()), Money.format(t.storagePricePerGbMonthMicros()),
                Money.format(t.bandwidthPricePerTbMicros()), t.minGpus(), Money.format(t.minBidPerHourMicros()),
                BigDecimal.valueOf(t.reservedDiscountMaxBps(), 4).toPlainString(), t.endDate());
    }
}
