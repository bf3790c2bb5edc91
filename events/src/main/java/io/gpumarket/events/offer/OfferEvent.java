package io.gpumarket.events.offer;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;

/**
 * Topic {@code gpumarket.offers}, key = machine id, written by offer-service: a machine's listing
 * published (or re-published with new terms, which apply to new rentals only), withdrawn, and the
 * extension of the contracts made from it.
 */
public sealed interface OfferEvent extends Event {

    @JsonTypeName("offer.listing-published.v1")
    record ListingPublished(EventMeta meta, String hostAccountId, ListingTerms terms) implements OfferEvent {}

    @JsonTypeName("offer.listing-withdrawn.v1")
    record ListingWithdrawn(EventMeta meta) implements OfferEvent {}

    /**
     * The host moved the listing's end to {@code endDate} at the same or lower prices: every live
     * contract on the machine that ends earlier now ends then (rental-service acts on it).
     */
    @JsonTypeName("offer.contracts-extended.v1")
    record ContractsExtended(EventMeta meta, java.time.Instant endDate) implements OfferEvent {}
}
