package io.gpumarket.offer.domain;

import io.gpumarket.events.EventMeta;
import io.gpumarket.events.offer.ListingTerms;
import io.gpumarket.events.offer.OfferEvent;
import io.gpumarket.events.offer.OfferEvent.ContractsExtended;
import io.gpumarket.events.offer.OfferEvent.ListingPublished;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A host (re-)lists a machine: the new terms apply to new rentals. If the end date moves later and
 * no price rises (GPU, storage, bandwidth, minimum bid; a smaller reservation discount is a rise
 * too), the live contracts on the machine are extended to it ({@code ContractsExtended}, which
 * rental-service applies); with any price raised, nothing is extended and the answer says which.
 */
public final class ListingDecider {
    private ListingDecider() {}

    /** What the listing did to the live contracts, for the host to read. */
    public record Extension(boolean extended, java.time.Instant endDate, String detail) {}

    public record Decision(List<OfferEvent> events, Extension extension) {}

    public static Decision decide(MarketMachine machine, ListingTerms asked, Supplier<EventMeta> meta) {
        List<OfferEvent> events = new ArrayList<>();
        events.add(new ListingPublished(meta.get(), machine.hostAccountId(), asked));
        ListingTerms before = machine.listing();
        if (before == null) {
            return new Decision(events, new Extension(false, null, "first listing: no contracts to extend"));
        }
        if (!asked.endDate().isAfter(before.endDate())) {
            return new Decision(events, new Extension(false, null,
                    "the end date is not later than " + before.endDate() + ": live contracts keep their end dates"));
        }
        List<String> raised = raised(before, asked);
        if (!raised.isEmpty()) {
            return new Decision(events, new Extension(false, null, "prices raised (" + String.join(", ", raised)
                    + "): live contracts keep their end dates; new rentals get the new terms"));
        }
        events.add(new ContractsExtended(meta.get(), asked.endDate()));
        return new Decision(events, new Extension(true, asked.endDate(),
                "live contracts on this machine now end at " + asked.endDate()));
    }

    private static List<String> raised(ListingTerms before, ListingTerms asked) {
        List<String> raised = new ArrayList<>();
        if (asked.gpuPricePerHourMicros() > before.gpuPricePerHourMicros()) {
            raised.add("gpuPricePerHour");
        }
        if (asked.storagePricePerGbMonthMicros() > before.storagePricePerGbMonthMicros()) {
            raised.add("storagePricePerGbMonth");
        }
        if (asked.bandwidthPricePerTbMicros() > before.bandwidthPricePerTbMicros()) {
            raised.add("bandwidthPricePerTb");
        }
        if (asked.minBidPerHourMicros() > before.minBidPerHourMicros()) {
            raised.add("minBidPerHour");
        }
        if (asked.reservedDiscountMaxBps() < before.reservedDiscountMaxBps()) {
            raised.add("reservedDiscountMax");
        }
        return raised;
    }
}
