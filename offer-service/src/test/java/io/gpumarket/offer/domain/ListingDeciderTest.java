package io.gpumarket.offer.domain;

import static io.gpumarket.offer.domain.MarketFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.offer.ListingTerms;
import io.gpumarket.events.offer.OfferEvent.ContractsExtended;
import io.gpumarket.events.offer.OfferEvent.ListingPublished;
import org.junit.jupiter.api.Test;

/** Given the machine's current listing, when the host lists again, then these events and this answer. */
class ListingDeciderTest {
    private final Market market = new Market();

    private MarketMachine machineListedUntil(java.time.Instant end) {
        market.apply(registered("m-1", "RTX 4090", 4, "EU"));
        if (end != null) {
            market.apply(listed("m-1", terms(500_000, 1, end)));
        }
        return market.machine("m-1").orElseThrow();
    }

    private ListingDecider.Decision when(MarketMachine m, ListingTerms asked) {
        return ListingDecider.decide(m, asked, () -> meta("m-1"));
    }

    @Test
    void aFirstListingExtendsNothing() {
        var d = when(machineListedUntil(null), terms(500_000, 1, END));
        assertThat(d.events()).singleElement().isInstanceOf(ListingPublished.class);
        assertThat(d.extension().extended()).isFalse();
    }

    @Test
    void aLaterEndAtTheSameOrLowerPricesExtendsTheLiveContracts() {
        var later = END.plusSeconds(30L * 86_400);
        var d = when(machineListedUntil(END), terms(450_000, 1, later));
        assertThat(d.events()).hasSize(2);
        assertThat(((ContractsExtended) d.events().get(1)).endDate()).isEqualTo(later);
        assertThat(d.extension().extended()).isTrue();
        assertThat(d.extension().endDate()).isEqualTo(later);
    }

    @Test
    void aRaisedPriceExtendsNothingAndSaysWhich() {
        var later = END.plusSeconds(30L * 86_400);
        MarketMachine m = machineListedUntil(END);
        ListingTerms before = m.listing();
        ListingTerms raised = new ListingTerms(before.gpuPricePerHourMicros(), before.storagePricePerGbMonthMicros() + 1,
                before.bandwidthPricePerTbMicros(), 1, before.minBidPerHourMicros(), before.reservedDiscountMaxBps() - 1,
                later);
        var d = when(m, raised);
        assertThat(d.events()).singleElement().isInstanceOf(ListingPublished.class);
        assertThat(d.extension().extended()).isFalse();
        assertThat(d.extension().detail()).contains("storagePricePerGbMonth", "reservedDiscountMax")
                .doesNotContain("gpuPricePerHour");
    }

    @Test
    void anEarlierOrEqualEndExtendsNothing() {
        var d = when(machineListedUntil(END), terms(400_000, 1, END));
        assertThat(d.events()).singleElement().isInstanceOf(ListingPublished.class);
        assertThat(d.extension().detail()).contains("not later");
    }
}
