package io.gpumarket.events.offer;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;

/**
 * Topic {@code gpumarket.offers}, key = machine id, written by offer-service: a machine's listing
 * published (or re-published with new terms, which apply to new rentals only) and withdrawn.
 */
public sealed interface OfferEvent extends Event {

    @JsonTypeName("offer.listing-published.v1")
    record ListingPublished(EventMeta meta, String hostAccountId, ListingTerms terms) implements OfferEvent {}

    @JsonTypeName("offer.listing-withdrawn.v1")
    record ListingWithdrawn(EventMeta meta) implements OfferEvent {}
}
