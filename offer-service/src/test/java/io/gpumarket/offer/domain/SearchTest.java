package io.gpumarket.offer.domain;

import static io.gpumarket.offer.domain.MarketFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.rental.RentalType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pricing per rental type, ordering, paging and the explanation of an empty result. */
class SearchTest {
    private final Market market = new Market();

    SearchTest() {
        // three 1-GPU machines and one 4-GPU machine, at different prices and models
        add("cheap-3090", "RTX 3090", 1, "EU", 200_000);
        add("mid-4090", "RTX 4090", 1, "EU", 400_000);
        add("dear-4090", "RTX 4090", 1, "US", 900_000);
        add("quad-a100", "A100 PCIe", 4, "US", 1_200_000);
    }

    private void add(String id, String model, int gpus, String region, long price) {
        market.apply(registered(id, model, gpus, region));
        market.apply(scored(id, model.equals("RTX 3090") ? 2200 : model.equals("RTX 4090") ? 3700 : 4500));
        market.apply(online(id));
        market.apply(listed(id, price, 1));
    }

    private Search.Result search(String q, String order, Quote quote) {
        return Search.run(market, OfferQuery.parse(q), OfferOrder.parse(order), quote, NOW, 0, 50);
    }

    private static Quote onDemand(long diskGb) {
        return new Quote(RentalType.ONDEMAND, 0, diskGb, 1);
    }

    private static List<String> ids(Search.Result r) {
        return r.offers().stream().map(o -> o.machine().id() + ":" + o.numGpus()).toList();
    }

    @Test
    void sortingByPriceUsesTheTotalWithTheAskedDisk() {
        var r = search("num_gpus=1", "dph", onDemand(10));
        assertThat(ids(r)).containsExactly("cheap-3090:1", "mid-4090:1", "dear-4090:1", "quad-a100:1");
        Offer cheapest = r.offers().get(0);
        // $0.20 GPU + 10 GB × $0.10 / 720 h (1389 µ$ rounded up) + 1 GB/h × $2/TB (2000 µ$)
        assertThat(cheapest.pricePerHourMicros()).isEqualTo(200_000);
        assertThat(cheapest.totalPerHourMicros()).isEqualTo(203_389);
        // 10 TB of disk makes storage dominate: $0.10 × 10 000 / 720 = $1.388889 an hour
        assertThat(search("machine_id=cheap-3090", "dph", onDemand(10_000)).offers().get(0).totalPerHourMicros())
                .isEqualTo(200_000 + 1_388_889 + 2_000);
    }

    @Test
    void descendingKeysAndSeveralKeys() {
        assertThat(ids(search("", "-num_gpus,dph", onDemand(10)))).containsExactly("quad-a100:4", "quad-a100:2",
                "cheap-3090:1", "mid-4090:1", "dear-4090:1", "quad-a100:1");
        assertThat(ids(search("gpu_name=RTX_4090", "-dph", onDemand(10)))).containsExactly("dear-4090:1", "mid-4090:1");
    }

    @Test
    void theDefaultOrderIsTheScorePerformancePerDollar() {
        var r = search("num_gpus=1", null, onDemand(10));
        List<Long> scores = r.offers().stream().map(Offer::score).toList();
        assertThat(scores).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        // RTX 4090 at $0.40 (37 DLPerf) beats a 3090 at $0.20 (22): 91.6 vs 108.1 per dollar, × 0.81
        assertThat(ids(r).get(0)).isEqualTo("cheap-3090:1");
        Offer mid = r.offers().stream().filter(o -> o.machine().id().equals("mid-4090")).findFirst().orElseThrow();
        assertThat(mid.dlperfCenti()).isEqualTo(3700);
        assertThat(mid.dlperfPerDollarCenti()).isEqualTo(3700L * 1_000_000 / 403_389);
        assertThat(mid.score()).isEqualTo(mid.dlperfPerDollarCenti() * 900 * 900 / 1_000_000);
    }

    @Test
    void eachRentalTypeIsPricedAsItWouldPay() {
        String q = "machine_id=mid-4090";
        assertThat(search(q, "dph", onDemand(10)).offers().get(0).pricePerHourMicros()).isEqualTo(400_000);
        // interruptible: the minimum bid, a fifth of the price here
        Offer bid = search(q, "dph", new Quote(RentalType.INTERRUPTIBLE, 0, 10, 1)).offers().get(0);
        assertThat(bid.pricePerHourMicros()).isEqualTo(80_000);
        // reserved: max 40 % × m/(m+1): 20 % for one month, 30 % for three
        assertThat(search(q, "dph", new Quote(RentalType.RESERVED, 1, 10, 1)).offers().get(0).pricePerHourMicros())
                .isEqualTo(320_000);
        assertThat(search(q, "dph", new Quote(RentalType.RESERVED, 3, 10, 1)).offers().get(0).pricePerHourMicros())
                .isEqualTo(280_000);
    }

    @Test
    void aQuoteNarrowsToTheAskedDiskAndToListingsThatOutlastAReservation() {
        // every machine has 1000 GB of disk and a listing that ends in 90 days
        Quote threeMonths = new Quote(RentalType.RESERVED, 3, 10, 1);
        assertThat(search(threeMonths.narrow(OfferQuery.parse(""), false)).total()).isEqualTo(6);
        Quote fourMonths = new Quote(RentalType.RESERVED, 4, 10, 1);
        var none = search(fourMonths.narrow(OfferQuery.parse(""), false));
        assertThat(none.total()).isZero();
        assertThat(none.explanation().text()).contains("reservedMonths=4 (120 days left) matched 0");
        Quote bigDisk = new Quote(RentalType.ONDEMAND, 0, 2000, 1);
        assertThat(search(bigDisk.narrow(OfferQuery.parse(""), true)).explanation().text())
                .contains("diskGb=2000 matched 0");
        assertThat(search(bigDisk.narrow(OfferQuery.parse(""), false)).total()).as("a default disk filters nothing")
                .isEqualTo(6);
    }

    private Search.Result search(OfferQuery query) {
        return Search.run(market, query, OfferOrder.parse(null), new Quote(RentalType.ONDEMAND, 0, 10, 1), NOW, 0, 50);
    }

    @Test
    void pagesDoNotOverlapAndCountEveryMatch() {
        var all = Search.run(market, OfferQuery.parse(""), OfferOrder.parse("dph"), onDemand(10), NOW, 0, 50);
        var first = Search.run(market, OfferQuery.parse(""), OfferOrder.parse("dph"), onDemand(10), NOW, 0, 2);
        var second = Search.run(market, OfferQuery.parse(""), OfferOrder.parse("dph"), onDemand(10), NOW, 2, 2);
        assertThat(all.total()).isEqualTo(6).isEqualTo(first.total()).isEqualTo(second.total());
        assertThat(ids(first)).containsExactlyElementsOf(ids(all).subList(0, 2));
        assertThat(ids(second)).containsExactlyElementsOf(ids(all).subList(2, 4));
    }

    @Test
    void anEmptyResultSaysWhatEachFilterLeavesAndWhatToDrop() {
        var r = search("gpu_name=RTX_4090 num_gpus>=2 dph<0.5", "dph", onDemand(10));
        assertThat(r.offers()).isEmpty();
        var why = r.explanation();
        assertThat(why.available()).isEqualTo(6);
        assertThat(why.alone()).extracting(Search.TermCount::term, Search.TermCount::matched).containsExactly(
                org.assertj.core.groups.Tuple.tuple("gpu_name=RTX_4090", 2),
                org.assertj.core.groups.Tuple.tuple("num_gpus>=2", 2),
                org.assertj.core.groups.Tuple.tuple("dph<0.5", 2));
        // the 1-GPU RTX 4090 at $0.40 misses only num_gpus>=2
        assertThat(why.relaxations()).containsExactly(new Search.Relaxation(List.of("num_gpus>=2"), 1));
        assertThat(why.text()).isEqualTo("0 of 6: gpu_name=RTX_4090 matched 2, num_gpus>=2 matched 2, "
                + "dph<0.5 matched 2; without num_gpus>=2 → 1");

        // every offer misses two of these: the explanation drops pairs
        var pairs = search("gpu_name=RTX_4090 num_gpus>=2 dph<0.3", "dph", onDemand(10)).explanation();
        assertThat(pairs.relaxations()).containsExactly(
                new Search.Relaxation(List.of("gpu_name=RTX_4090", "dph<0.3"), 2),
                new Search.Relaxation(List.of("num_gpus>=2", "dph<0.3"), 2),
                new Search.Relaxation(List.of("gpu_name=RTX_4090", "num_gpus>=2"), 1));
        assertThat(pairs.text()).endsWith("; without gpu_name=RTX_4090 and dph<0.3 → 2, without num_gpus>=2 and "
                + "dph<0.3 → 2, without gpu_name=RTX_4090 and num_gpus>=2 → 1");
    }

    @Test
    void anEmptyMarketSaysSo() {
        var r = Search.run(new Market(), OfferQuery.parse("num_gpus>=1"), OfferOrder.parse(null),
                onDemand(10), NOW, 0, 50);
        assertThat(r.total()).isZero();
        assertThat(r.explanation().text()).contains("no offer is available right now");
    }
}
