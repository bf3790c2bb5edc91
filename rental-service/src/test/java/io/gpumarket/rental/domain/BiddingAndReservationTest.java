package io.gpumarket.rental.domain;

import static io.gpumarket.rental.domain.DeciderFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.Event;
import io.gpumarket.events.machine.ContainerState;
import io.gpumarket.events.offer.OfferEvent.ContractsExtended;
import io.gpumarket.events.rental.RejectionReason;
import io.gpumarket.events.rental.RentalEvent.BidChangeRequested;
import io.gpumarket.events.rental.RentalEvent.BidChanged;
import io.gpumarket.events.rental.RentalEvent.ContractExtended;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalEvent.GpusReleased;
import io.gpumarket.events.rental.RentalEvent.PlacementAccepted;
import io.gpumarket.events.rental.RentalEvent.PlacementRefused;
import io.gpumarket.events.rental.RentalEvent.StartRequested;
import io.gpumarket.events.rental.RentalEvent.StopRequested;
import io.gpumarket.events.rental.RentalEvent.WorkIssued;
import io.gpumarket.events.rental.WorkAction;
import io.gpumarket.events.status.InstanceStatus;
import io.gpumarket.events.status.StatusEvent.InstanceStatusChanged;
import io.gpumarket.events.usage.UsageEvent.ReservationEnded;
import io.gpumarket.events.usage.UsageEvent.ReservationPrepaid;
import io.gpumarket.events.usage.UsageEvent.UsageRecorded;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Interruptible bids, preemption by fixed rentals, and reserved terms, decided per machine. */
class BiddingAndReservationTest extends MachineHarness {

    /** The work the agent was last sent for {@code instance} in {@code events}. */
    private static WorkIssued work(List<Event> events, String instance) {
        return events.stream().filter(e -> e instanceof WorkIssued w && w.instanceId().equals(instance))
                .map(WorkIssued.class::cast).reduce((a, b) -> b).orElseThrow();
    }

    private static InstanceStatus statusOf(List<Event> events, String instance) {
        return events.stream().filter(e -> e instanceof InstanceStatusChanged s && s.instanceId().equals(instance))
                .map(e -> ((InstanceStatusChanged) e).status()).reduce((a, b) -> b).orElse(null);
    }

    /** Places an instance and reports its container running. */
    private void running(Event placement, String instance, Instant at) {
        List<Event> placed = when(placement, at);
        when(report(work(placed, instance).workId(), instance, ContainerState.RUNNING), at.plusSeconds(1));
        assertThat(machine.instances.get(instance).status).isEqualTo(InstanceStatus.ONLINE);
    }

    @Test
    void anInterruptibleRunsOnFreeGpusAtItsBid() {
        given(registered(2), online(), listed());
        List<Event> out = when(bidding("i-1", 1, 300_000), T0);
        assertThat(out.get(0)).isInstanceOf(PlacementAccepted.class);
        assertThat(statusOf(out, "i-1")).isEqualTo(InstanceStatus.CREATING);
        assertThat(out).filteredOn(e -> e instanceof GpusAllocated).singleElement()
                .satisfies(e -> assertThat(((GpusAllocated) e).gpuIndexes()).containsExactly(0));
        assertThat(work(out, "i-1").action()).isEqualTo(WorkAction.START);
        when(report(work(out, "i-1").workId(), "i-1", ContainerState.RUNNING), T0.plusSeconds(1));
        UsageRecorded usage = (UsageRecorded) tick(T0.plusSeconds(11)).get(0);
        assertThat(usage.contract().gpuPricePerHourMicros()).as("it pays its bid").isEqualTo(300_000);
        assertThat(usage.onlineSeconds()).isEqualTo(10);
    }

    @Test
    void aBidBelowTheHostsMinimumIsRefused() {
        given(registered(2), online(), listed());
        PlacementRefused refused = (PlacementRefused) when(bidding("i-1", 1, MIN_BID - 1), T0).get(0);
        assertThat(refused.reason()).isEqualTo(RejectionReason.BID_TOO_LOW);
        assertThat(refused.detail()).contains("0.099999").contains("0.100000");
    }

    @Test
    void aHigherBidOutbidsTheRunningOneWhichStartsAgainWhenTheGpuIsFree() {
        given(registered(1), online(), listed());
        running(bidding("low", 1, 300_000), "low", T0);
        List<Event> out = when(bidding("high", 1, 400_000), T0.plusSeconds(10));
        assertThat(statusOf(out, "low")).isEqualTo(InstanceStatus.OUTBID);
        assertThat(out).filteredOn(e -> e instanceof UsageRecorded).singleElement()
                .satisfies(e -> assertThat(((UsageRecorded) e).onlineSeconds()).isEqualTo(9));
        WorkIssued stop = work(out, "low");
        assertThat(stop.action()).isEqualTo(WorkAction.STOP);
        assertThat(out).as("no GPU for the winner until the loser's container stopped")
                .noneMatch(e -> e instanceof GpusAllocated);

        List<Event> released = when(report(stop.workId(), "low", ContainerState.STOPPED), T0.plusSeconds(12));
        assertThat(released.get(0)).isInstanceOf(GpusReleased.class);
        assertThat(released).filteredOn(e -> e instanceof GpusAllocated).singleElement()
                .satisfies(e -> assertThat(((GpusAllocated) e).instanceId()).isEqualTo("high"));
        when(report(work(released, "high").workId(), "high", ContainerState.RUNNING), T0.plusSeconds(13));

        UsageRecorded storageOnly = tick(T0.plusSeconds(20)).stream().map(UsageRecorded.class::cast)
                .filter(u -> u.instanceId().equals("low")).findFirst().orElseThrow();
        assertThat(storageOnly.onlineSeconds()).as("outbid: storage only").isZero();
        assertThat(storageOnly.storageSeconds()).isEqualTo(10);

        WorkIssued end = work(when(termination("high"), T0.plusSeconds(30)), "high");
        List<Event> freed = when(report(end.workId(), "high", ContainerState.REMOVED), T0.plusSeconds(31));
        assertThat(freed).filteredOn(e -> e instanceof GpusAllocated).singleElement()
                .satisfies(e -> assertThat(((GpusAllocated) e).instanceId()).isEqualTo("low"));
        List<Event> back = when(report(work(freed, "low").workId(), "low", ContainerState.RUNNING), T0.plusSeconds(32));
        assertThat(statusOf(back, "low")).isEqualTo(InstanceStatus.ONLINE);
    }

    @Test
    void onEqualBidsTheEarlierPlacementKeepsTheGpuAndTheLaterIsOutbidAtOnce() {
        given(registered(1), online(), listed());
        running(bidding("first", 1, 300_000), "first", T0);
        List<Event> out = when(bidding("second", 1, 300_000), T0.plusSeconds(5));
        assertThat(statusOf(out, "second")).isEqualTo(InstanceStatus.OUTBID);
        assertThat(out).noneMatch(e -> e instanceof WorkIssued);
        assertThat(machine.instances.get("first").status).isEqualTo(InstanceStatus.ONLINE);
    }

    @Test
    void anOnDemandRentalPreemptsInterruptiblesAndTakesTheirGpusOnceStopped() {
        given(registered(2), online(), listed());
        running(bidding("spot", 2, 900_000), "spot", T0);
        List<Event> out = when(placement("od", 1), T0.plusSeconds(10));
        PlacementAccepted accepted = (PlacementAccepted) out.get(0);
        assertThat(accepted.claimedGpus()).containsExactly(0);
        assertThat(statusOf(out, "od")).isEqualTo(InstanceStatus.CREATING);
        InstanceStatusChanged preempted = out.stream().filter(e -> e instanceof InstanceStatusChanged s
                && s.instanceId().equals("spot")).map(InstanceStatusChanged.class::cast).findFirst().orElseThrow();
        assertThat(preempted.status()).isEqualTo(InstanceStatus.OUTBID);
        assertThat(preempted.reason()).contains("preempted by an on-demand rental");
        WorkIssued stop = work(out, "spot");
        assertThat(stop.action()).isEqualTo(WorkAction.STOP);

        List<Event> released = when(report(stop.workId(), "spot", ContainerState.STOPPED), T0.plusSeconds(12));
        assertThat(released).filteredOn(e -> e instanceof GpusAllocated).singleElement().satisfies(e -> {
            assertThat(((GpusAllocated) e).instanceId()).isEqualTo("od");
            assertThat(((GpusAllocated) e).gpuIndexes()).containsExactly(0);
        });
        assertThat(machine.instances.get("spot").gpus).as("two GPUs asked, one left: it waits").isEmpty();
        when(report(work(released, "od").workId(), "od", ContainerState.RUNNING), T0.plusSeconds(13));
        WorkIssued end = work(when(termination("od"), T0.plusSeconds(20)), "od");
        List<Event> back = when(report(end.workId(), "od", ContainerState.REMOVED), T0.plusSeconds(21));
        assertThat(back).filteredOn(e -> e instanceof GpusAllocated).singleElement()
                .satisfies(e -> assertThat(((GpusAllocated) e).gpuIndexes()).containsExactly(0, 1));
    }

    @Test
    void aStoppedOnDemandInstanceStartingAgainPreemptsTheInterruptibleOnItsGpus() {
        given(registered(1), online(), listed());
        running(placement("od", 1), "od", T0);
        WorkIssued stop = work(when(new StopRequested(meta(MACHINE), "od", ACCOUNT), T0.plusSeconds(5)), "od");
        when(report(stop.workId(), "od", ContainerState.STOPPED), T0.plusSeconds(6));
        running(bidding("spot", 1, 300_000), "spot", T0.plusSeconds(7));
        List<Event> out = when(new StartRequested(meta(MACHINE), "od", ACCOUNT), T0.plusSeconds(10));
        assertThat(statusOf(out, "od")).isEqualTo(InstanceStatus.SCHEDULING);
        assertThat(statusOf(out, "spot")).isEqualTo(InstanceStatus.OUTBID);
        List<Event> released = when(report(work(out, "spot").workId(), "spot", ContainerState.STOPPED),
                T0.plusSeconds(11));
        assertThat(released).filteredOn(e -> e instanceof GpusAllocated).singleElement()
                .satisfies(e -> assertThat(((GpusAllocated) e).instanceId()).isEqualTo("od"));
    }

    @Test
    void interruptiblesCannotBePlacedWhereFixedRentalsHoldTheGpus() {
        given(registered(1), online(), listed());
        when(placement("od", 1), T0);
        PlacementRefused refused = (PlacementRefused) when(bidding("spot", 1, 9_000_000), T0).get(0);
        assertThat(refused.reason()).isEqualTo(RejectionReason.GPUS_TAKEN);
        assertThat(when(placement("od-2", 1), T0).get(0)).isInstanceOf(PlacementRefused.class);
    }

    @Test
    void raisingAnOutbidBidAboveTheRunningOneSwapsThemAndStartsANewMeterAtTheNewPrice() {
        given(registered(1), online(), listed());
        running(bidding("a", 1, 300_000), "a", T0);
        when(bidding("b", 1, 200_000), T0.plusSeconds(2));
        tick(T0.plusSeconds(6));
        List<Event> out = when(new BidChangeRequested(meta(MACHINE), "b", ACCOUNT, 350_000), T0.plusSeconds(10));
        UsageRecorded closed = out.stream().filter(e -> e instanceof UsageRecorded u && u.instanceId().equals("b"))
                .map(UsageRecorded.class::cast).findFirst().orElseThrow();
        assertThat(closed.meter()).isZero();
        assertThat(closed.storageSecondsTotal()).isEqualTo(8);
        BidChanged changed = (BidChanged) out.stream().filter(e -> e instanceof BidChanged).findFirst().orElseThrow();
        assertThat(changed.meter()).isEqualTo(1);
        assertThat(statusOf(out, "a")).isEqualTo(InstanceStatus.OUTBID);
        List<Event> swapped = when(report(work(out, "a").workId(), "a", ContainerState.STOPPED), T0.plusSeconds(11));
        when(report(work(swapped, "b").workId(), "b", ContainerState.RUNNING), T0.plusSeconds(12));
        UsageRecorded b = tick(T0.plusSeconds(16)).stream().map(UsageRecorded.class::cast)
                .filter(u -> u.instanceId().equals("b")).findFirst().orElseThrow();
        assertThat(b.meter()).isEqualTo(1);
        assertThat(b.contract().gpuPricePerHourMicros()).isEqualTo(350_000);
        assertThat(b.onlineSecondsTotal()).as("the new meter counts from zero").isEqualTo(4);
        assertThat(b.storageSecondsTotal()).isEqualTo(6);
    }

    @Test
    void loweringARunningBidBelowAWaitingOneLetsTheWaitingOneRun() {
        given(registered(1), online(), listed());
        running(bidding("a", 1, 300_000), "a", T0);
        when(bidding("b", 1, 200_000), T0.plusSeconds(2));
        List<Event> out = when(new BidChangeRequested(meta(MACHINE), "a", ACCOUNT, 150_000), T0.plusSeconds(5));
        assertThat(statusOf(out, "a")).isEqualTo(InstanceStatus.OUTBID);
        assertThat(work(out, "a").action()).isEqualTo(WorkAction.STOP);
        assertThat(when(new BidChangeRequested(meta(MACHINE), "a", ACCOUNT, MIN_BID - 1), T0.plusSeconds(6)))
                .as("below the minimum: ignored").isEmpty();
        assertThat(when(new BidChangeRequested(meta(MACHINE), "od", ACCOUNT, 900_000), T0.plusSeconds(6)))
                .as("no such instance").isEmpty();
    }

    @Test
    void anOwnerStoppedInterruptibleWaitsInSchedulingForItsBidWhenStarted() {
        given(registered(1), online(), listed());
        running(bidding("a", 1, 300_000), "a", T0);
        WorkIssued stop = work(when(new StopRequested(meta(MACHINE), "a", ACCOUNT), T0.plusSeconds(5)), "a");
        List<Event> stopped = when(report(stop.workId(), "a", ContainerState.STOPPED), T0.plusSeconds(6));
        assertThat(statusOf(stopped, "a")).isEqualTo(InstanceStatus.STOPPED);
        running(bidding("b", 1, 400_000), "b", T0.plusSeconds(7));
        List<Event> started = when(new StartRequested(meta(MACHINE), "a", ACCOUNT), T0.plusSeconds(10));
        assertThat(started).extracting(e -> e instanceof InstanceStatusChanged s ? s.status() : null)
                .containsSubsequence(InstanceStatus.SCHEDULING, InstanceStatus.OUTBID);
        assertThat(machine.instances.get("b").status).isEqualTo(InstanceStatus.ONLINE);
    }

    @Test
    void replayingTopicAfterTopicAfterBidChangesReachesTheSameMeters() {
        List<Event> log = new ArrayList<>(List.of(registered(1), online(), listed()));
        given(log.toArray(Event[]::new));
        for (Event input : List.of(bidding("a", 1, 300_000), bidding("b", 1, 200_000))) {
            log.add(input);
            log.addAll(when(input, T0));
        }
        log.addAll(tick(T0.plusSeconds(4)));
        Event change = new BidChangeRequested(meta(MACHINE), "b", ACCOUNT, 250_000);
        log.add(change);
        log.addAll(when(change, T0.plusSeconds(6)));
        log.addAll(tick(T0.plusSeconds(10)));

        MachineRentals replayed = replayTopicByTopic(log);
        for (Instance live : machine.instances.values()) {
            Instance again = replayed.instances.get(live.id);
            assertThat(again.meter).isEqualTo(live.meter);
            assertThat(again.storageSecondsTotal).isEqualTo(live.storageSecondsTotal);
            assertThat(again.contract).isEqualTo(live.contract);
            assertThat(again.placedSeq).isEqualTo(live.placedSeq);
        }
        assertThat(MachineDecider.tick(replayed, T0.plusSeconds(14)))
                .isEqualTo(MachineDecider.tick(machine, T0.plusSeconds(14)));
        assertThat(MachineDecider.settle(replayed, T0.plusSeconds(14))).isEmpty();
    }

    @Test
    void aReservedRentalIsPrepaidWhenPlacedAndEndsItsPrepaymentWhenTerminatedEarly() {
        given(registered(2), online(), listed());
        List<Event> placed = when(reservedPlacement("r-1", 1, 3), T0);
        ReservationPrepaid prepaid = placed.stream().filter(e -> e instanceof ReservationPrepaid)
                .map(ReservationPrepaid.class::cast).findFirst().orElseThrow();
        assertThat(prepaid.contract().reservation().months()).isEqualTo(3);
        assertThat(prepaid.meta().aggregateId()).isEqualTo(MACHINE);
        when(report(work(placed, "r-1").workId(), "r-1", ContainerState.RUNNING), T0.plusSeconds(1));
        List<Event> ended = when(termination("r-1"), T0.plusSeconds(86_400));
        ReservationEnded end = ended.stream().filter(e -> e instanceof ReservationEnded)
                .map(ReservationEnded.class::cast).findFirst().orElseThrow();
        assertThat(end.endedAt()).isEqualTo(T0.plusSeconds(86_400));
    }

    @Test
    void aReservedRentalThatNeverStartsEndsAtItsBeginningSoAllIsRefunded() {
        given(registered(2), online(), listed());
        List<Event> placed = when(reservedPlacement("r-1", 1, 1), T0);
        List<Event> failed = when(report(work(placed, "r-1").workId(), "r-1", ContainerState.FAILED),
                T0.plusSeconds(30));
        assertThat(statusOf(failed, "r-1")).isEqualTo(InstanceStatus.RENTAL_ERROR);
        ReservationEnded end = failed.stream().filter(e -> e instanceof ReservationEnded)
                .map(ReservationEnded.class::cast).findFirst().orElseThrow();
        assertThat(end.endedAt()).isEqualTo(end.contract().reservation().from());
    }

    @Test
    void aReservedTermEndsAsAgreedEvenWhenTheHostExtendsTheListing() {
        given(registered(2), online(), listed());
        when(reservedPlacement("r-1", 1, 1), T0);
        when(placement("od", 1), T0);
        List<Event> out = when(new ContractsExtended(meta(MACHINE), END.plusSeconds(86_400 * 30L)), T0.plusSeconds(5));
        assertThat(out).filteredOn(e -> e instanceof ContractExtended)
                .extracting(e -> ((ContractExtended) e).instanceId()).containsExactly("od");
    }

    @Test
    void aReservedInstancesUsageChargesItsPrepaidGpuTimeToNoOneButItsDiskAsUsual() {
        given(registered(1), online(), listed());
        running(reservedPlacement("r-1", 1, 1), "r-1", T0);
        UsageRecorded u = (UsageRecorded) tick(T0.plusSeconds(11)).get(0);
        assertThat(u.contract().gpuPrepaid()).isTrue();
        assertThat(u.onlineSeconds()).isEqualTo(10);
        assertThat(u.storageSeconds()).isEqualTo(10);
        assertThat(List.of(u.contract().endDate())).containsExactly(u.contract().reservation().until());
    }
}
