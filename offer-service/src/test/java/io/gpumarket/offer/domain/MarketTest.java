package io.gpumarket.offer.domain;

import static io.gpumarket.offer.domain.MarketFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.Event;
import io.gpumarket.events.machine.MachineEvent.GpuFaultCleared;
import io.gpumarket.events.machine.MachineEvent.GpuFaultReported;
import io.gpumarket.events.machine.MachineEvent.MaintenanceScheduled;
import io.gpumarket.events.machine.MachineEvent.PerformanceScored;
import io.gpumarket.events.machine.MachineEvent.ReliabilityScored;
import io.gpumarket.events.machine.MachineEvent.VerificationChanged;
import io.gpumarket.events.machine.PerformanceSource;
import io.gpumarket.events.machine.Verification;
import io.gpumarket.events.rental.RentalType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Given the log so far, when one more event is applied, then search shows these offers. */
class MarketTest {
    private final Market market = new Market();

    private void given(Event... events) {
        for (Event e : events) {
            market.apply(e);
        }
    }

    /** The chunk sizes offered, machine by machine, for an on-demand search with no filter. */
    private List<String> offers() {
        return offers(RentalType.ONDEMAND);
    }

    private List<String> offers(RentalType type) {
        var result = Search.run(market, OfferQuery.parse(""), OfferOrder.parse("machine_id,num_gpus"),
                new Quote(type, type == RentalType.RESERVED ? 1 : 0, 10, 1), NOW, 0, 500);
        return result.offers().stream().map(o -> o.machine().id() + ":" + o.numGpus() + (o.preempts() ? "*" : ""))
                .toList();
    }

    @Test
    void aListedOnlineMachineOffersItsChunksFromTheMinimumUp() {
        given(registered("m-8", "RTX 3090", 8, "EU"), online("m-8"));
        assertThat(offers()).as("not listed yet").isEmpty();
        given(listed("m-8", 300_000, 2));
        assertThat(offers()).containsExactly("m-8:2", "m-8:4", "m-8:8");
        given(listed("m-8", 300_000, 1));
        assertThat(offers()).containsExactly("m-8:1", "m-8:2", "m-8:4", "m-8:8");
    }

    @Test
    void aMachineWhoseCountIsNoPowerOfTwoAlsoOffersTheWholeMachine() {
        given(registered("m-6", "RTX 3090", 6, "EU"), online("m-6"), listed("m-6", 300_000, 2));
        assertThat(offers()).containsExactly("m-6:2", "m-6:4", "m-6:6");
    }

    @Test
    void allocationsShrinkTheChunksAndReleasesBringThemBack() {
        given(registered("m-8", "RTX 3090", 8, "EU"), online("m-8"), listed("m-8", 300_000, 2));
        given(allocated("m-8", "i-1", List.of(0, 1, 2, 3), RentalType.ONDEMAND));
        assertThat(offers()).containsExactly("m-8:2", "m-8:4");
        given(allocated("m-8", "i-2", List.of(4, 5), RentalType.ONDEMAND));
        assertThat(offers()).containsExactly("m-8:2");
        given(allocated("m-8", "i-3", List.of(6, 7), RentalType.RESERVED));
        assertThat(offers()).as("every GPU held").isEmpty();
        given(released("m-8", "i-1", 4));
        assertThat(offers()).containsExactly("m-8:2", "m-8:4");
    }

    @Test
    void interruptiblesGpusCountAsFreeForOnDemandMarkedSo() {
        given(registered("m-4", "RTX 4090", 4, "EU"), online("m-4"), listed("m-4", 500_000, 1),
                allocated("m-4", "i-1", List.of(0, 1), RentalType.INTERRUPTIBLE));
        assertThat(offers()).containsExactly("m-4:1", "m-4:2", "m-4:4*");
        given(allocated("m-4", "i-2", List.of(2, 3), RentalType.ONDEMAND));
        assertThat(offers()).containsExactly("m-4:1*", "m-4:2*");
    }

    @Test
    void aFaultyGpuIsOfferedToNoOneUntilItsFaultClears() {
        given(registered("m-4", "RTX 4090", 4, "EU"), online("m-4"), listed("m-4", 500_000, 1));
        given(new GpuFaultReported(meta("m-4"), 3, "Xid 79"));
        assertThat(offers()).containsExactly("m-4:1", "m-4:2");
        given(allocated("m-4", "i-1", List.of(0, 1), RentalType.ONDEMAND));
        assertThat(offers()).as("GPUs 0 and 1 held, 3 faulty").containsExactly("m-4:1");
        given(new GpuFaultCleared(meta("m-4"), 3));
        assertThat(offers()).containsExactly("m-4:1", "m-4:2");
    }

    @Test
    void anAnnouncedWindowHidesTheOffersOnlyWhileItLasts() {
        given(registered("m-2", "RTX 4090", 2, "EU"), online("m-2"), listed("m-2", 500_000, 2),
                new MaintenanceScheduled(meta("m-2"), "w-1", NOW.plusSeconds(3600), NOW.plusSeconds(7200), "fans"));
        assertThat(offersAt(NOW)).as("before the window").containsExactly("m-2:2");
        assertThat(offersAt(NOW.plusSeconds(3600))).as("in the window").isEmpty();
        assertThat(offersAt(NOW.plusSeconds(7199))).as("still in the window").isEmpty();
        assertThat(offersAt(NOW.plusSeconds(7200))).as("after the window").containsExactly("m-2:2");
    }

    @Test
    void scoresAreNodeServicesAsPublished() {
        given(registered("m-1", "RTX 4090", 1, "EU"), online("m-1"), listed("m-1", 500_000, 1));
        MarketMachine fresh = market.machine("m-1").orElseThrow();
        assertThat(fresh.reliabilityPpm()).isEqualTo(Market.PRIOR_RELIABILITY_PPM);
        assertThat(fresh.dlperfPerGpuCenti()).as("no score published yet").isNull();
        assertThat(fresh.verification()).isEqualTo("unverified");
        given(scored("m-1", 3700), new ReliabilityScored(meta("m-1"), 987_000, 990_000, 0, 0),
                new VerificationChanged(meta("m-1"), Verification.VERIFIED, "ok"),
                new PerformanceScored(meta("m-1"), 9000, PerformanceSource.BENCHMARK, 3700L, false));
        MarketMachine scored = market.machine("m-1").orElseThrow();
        assertThat(scored.reliabilityPpm()).isEqualTo(987_000);
        assertThat(scored.dlperfPerGpuCenti()).as("a benchmark out of range is not shown").isEqualTo(3700);
        assertThat(scored.verification()).isEqualTo("verified");
    }

    private List<String> offersAt(java.time.Instant now) {
        var result = Search.run(market, OfferQuery.parse(""), OfferOrder.parse("machine_id,num_gpus"),
                new Quote(RentalType.ONDEMAND, 0, 10, 1), now, 0, 500);
        return result.offers().stream().map(o -> o.machine().id() + ":" + o.numGpus()).toList();
    }

    @Test
    void offlineMaintenanceUnlistingAndTheEndDateTakeTheMachineOut() {
        given(registered("m-1", "RTX 4090", 1, "EU"), online("m-1"), listed("m-1", 500_000, 1));
        assertThat(offers()).containsExactly("m-1:1");
        given(offline("m-1"));
        assertThat(offers()).isEmpty();
        given(online("m-1"));
        assertThat(offers()).containsExactly("m-1:1");
        given(maintenance("m-1", true));
        assertThat(offers()).isEmpty();
        given(maintenance("m-1", false));
        assertThat(offers()).containsExactly("m-1:1");
        given(unlisted("m-1"));
        assertThat(offers()).isEmpty();
        given(listed("m-1", terms(500_000, 1, NOW.minusSeconds(1))));
        assertThat(offers()).as("past its end date").isEmpty();
        given(listed("m-1", terms(500_000, 1, NOW.plusSeconds(60))));
        assertThat(offers()).containsExactly("m-1:1");
    }

    @Test
    void aMachineThatFailedItsChecksNeverShows() {
        given(failingChecks("m-x"), online("m-x"), listed("m-x", 500_000, 1));
        assertThat(offers()).isEmpty();
        assertThat(market.machine("m-x").orElseThrow().failedChecks()).containsExactly("ram");
    }

    @Test
    void anInstanceStartedAgainAfterItsReleaseHoldsItsGpusAgain() {
        given(registered("m-2", "RTX 4090", 2, "EU"), online("m-2"), listed("m-2", 500_000, 1),
                allocated("m-2", "i-1", List.of(0, 1), RentalType.ONDEMAND), released("m-2", "i-1", 2));
        assertThat(offers()).containsExactly("m-2:1", "m-2:2");
        given(allocated("m-2", "i-1", List.of(0, 1), RentalType.ONDEMAND));
        assertThat(offers()).isEmpty();
    }

    @Test
    void anyInterleavingOfTheTopicsGivesTheSameMarket() {
        List<Event> machines = List.of(registered("m-1", "RTX 4090", 4, "EU"), online("m-1"), offline("m-1"),
                online("m-1"), registered("m-2", "A100 PCIe", 8, "US"), online("m-2"), maintenance("m-2", true),
                software("m-1", "550.1", "12.4"));
        List<Event> listings = List.of(listed("m-1", 500_000, 1), listed("m-2", 1_500_000, 2), unlisted("m-1"),
                listed("m-1", 400_000, 2));
        List<Event> rentals = List.of(allocated("m-1", "i-1", List.of(0, 1), RentalType.ONDEMAND),
                allocated("m-2", "i-2", List.of(0, 1), RentalType.INTERRUPTIBLE), released("m-1", "i-1", 2),
                allocated("m-1", "i-3", List.of(0), RentalType.ONDEMAND));
        given(concat(machines, listings, rentals).toArray(Event[]::new));
        String inOrder = market.digest();
        Random random = new Random(7);
        for (int round = 0; round < 20; round++) {
            Market other = new Market();
            interleave(random, machines, listings, rentals).forEach(other::apply);
            assertThat(other.digest()).isEqualTo(inOrder);
        }
        market.reset();
        assertThat(market.machines()).isEmpty();
        assertThat(market.digest()).isNotEqualTo(inOrder);
    }

    private static List<Event> concat(List<Event> a, List<Event> b, List<Event> c) {
        List<Event> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return all;
    }

    /** A random merge of the topics that keeps each topic's own order, as a replay may read them. */
    private static List<Event> interleave(Random random, List<Event> a, List<Event> b, List<Event> c) {
        List<Integer> picks = new ArrayList<>();
        picks.addAll(Collections.nCopies(a.size(), 0));
        picks.addAll(Collections.nCopies(b.size(), 1));
        picks.addAll(Collections.nCopies(c.size(), 2));
        Collections.shuffle(picks, random);
        int[] next = new int[3];
        List<List<Event>> sources = List.of(a, b, c);
        List<Event> out = new ArrayList<>();
        for (int p : picks) {
            out.add(sources.get(p).get(next[p]++));
        }
        return out;
    }
}
