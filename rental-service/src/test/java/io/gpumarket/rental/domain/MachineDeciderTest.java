package io.gpumarket.rental.domain;

import static io.gpumarket.rental.domain.DeciderFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.Event;
import io.gpumarket.events.machine.ContainerState;
import io.gpumarket.events.machine.MachineEvent.MaintenanceModeChanged;
import io.gpumarket.events.offer.OfferEvent.ContractsExtended;
import io.gpumarket.events.rental.RejectionReason;
import io.gpumarket.events.rental.RentalEvent.ContractExtended;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalEvent.GpusReleased;
import io.gpumarket.events.rental.RentalEvent.InstanceReleased;
import io.gpumarket.events.rental.RentalEvent.PlacementRefused;
import io.gpumarket.events.rental.RentalEvent.WorkIssued;
import io.gpumarket.events.rental.WorkAction;
import io.gpumarket.events.status.InstanceStatus;
import io.gpumarket.events.status.StatusEvent.InstanceStatusChanged;
import io.gpumarket.events.usage.UsageEvent.UsageRecorded;
import io.gpumarket.events.machine.MachineEvent.GpuFaultCleared;
import io.gpumarket.events.machine.MachineEvent.GpuFaultReported;
import io.gpumarket.events.machine.MachineEvent.MaintenanceScheduled;
import io.gpumarket.events.rental.RentalEvent.NoticeIssued;
import io.gpumarket.events.heartbeat.HeartbeatEvent.ContainerTraffic;
import io.gpumarket.events.heartbeat.HeartbeatEvent.HeartbeatReceived;
import io.gpumarket.events.rental.RentalEvent.MeteringPaused;
import io.gpumarket.events.rental.RentalEvent.MeteringResumed;
import io.gpumarket.events.rental.RentalEvent.OwnerReactivated;
import io.gpumarket.events.rental.RentalEvent.OwnerSuspended;
import io.gpumarket.events.rental.RentalEvent.StartRequested;
import io.gpumarket.events.rental.RentalEvent.StopRequested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Given the machine's past events, when an input arrives, then these events. */
class MachineDeciderTest extends MachineHarness {
    @Test
    void allocatesFreeGpusAndSendsStartWork() {
        given(registered(4), online(), listed());
        List<Event> out = when(placement("i-1", 2), T0);
        assertThat(out).hasSize(3);
        assertThat(((GpusAllocated) out.get(0)).gpuIndexes()).containsExactly(0, 1);
        assertThat(((InstanceStatusChanged) out.get(1)).status()).isEqualTo(InstanceStatus.CREATING);
        WorkIssued work = (WorkIssued) out.get(2);
        assertThat(work.action()).isEqualTo(WorkAction.START);
        assertThat(work.gpuIndexes()).containsExactly(0, 1);
        assertThat(out).extracting(e -> e.meta().seq()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aPlacementThatSucceedsIsTakenAtOnceAsTheLogWouldHaveDecidedIt() {
        given(registered(4), online(), listed());
        var request = placement("i-1", 2);
        MachineRentals readBack = replayTopicByTopic(List.of(registered(4), online(), listed(), request));
        List<Event> atOnce = MachineDecider.placeAtOnce(machine, request, T0);
        assertThat(atOnce).isEqualTo(MachineDecider.decide(readBack, request, T0));
        assertThat(atOnce.get(0)).isInstanceOf(GpusAllocated.class);
    }

    @Test
    void aRefusalIsNotTakenAtOnceButLeftToTheLog() {
        given(registered(1), online(), listed());
        when(placement("i-1", 1), T0);
        assertThat(MachineDecider.placeAtOnce(machine, placement("i-2", 1), T0)).as("GPUs taken").isNull();
        MachineRentals unknown = new MachineRentals(MACHINE);
        assertThat(MachineDecider.placeAtOnce(unknown, placement("i-3", 1), T0))
                .as("a machine whose registration was not read yet").isNull();
        assertThat(MachineDecider.placeAtOnce(machine, placement("i-1", 1), T0)).as("already placed").isNull();
    }

    @Test
    void neverGivesAGpuToTwoInstances() {
        given(registered(2), online(), listed());
        when(placement("i-1", 2), T0);
        List<Event> out = when(placement("i-2", 1), T0);
        assertThat(out.get(0)).isInstanceOf(PlacementRefused.class);
        assertThat(((PlacementRefused) out.get(0)).reason()).isEqualTo(RejectionReason.GPUS_TAKEN);
        assertThat(out).hasAtLeastOneElementOfType(InstanceReleased.class);
    }

    @Test
    void aDiskIsReservedUntilItsInstanceIsGoneAndNoMoreThanTheMachineHasIsGiven() {
        given(registered(4), online(), listed());
        when(new io.gpumarket.events.rental.RentalEvent.PlacementRequested(meta(MACHINE), "big", ACCOUNT, HOST, null,
                contract(1).withEndDate(END), CONTAINER), T0);
        var fat = new io.gpumarket.events.rental.Contract(io.gpumarket.events.rental.RentalType.ONDEMAND, "RTX 4090", 1,
                1990, 500_000, 72_000, 0, END);
        PlacementRefused refused = (PlacementRefused) when(new io.gpumarket.events.rental.RentalEvent.PlacementRequested(
                meta(MACHINE), "fat", ACCOUNT, HOST, null, fat, CONTAINER), T0).get(0);
        assertThat(refused.reason()).isEqualTo(RejectionReason.DISK_TAKEN);
        assertThat(refused.detail()).isEqualTo("1990 GB of disk asked, 1980 GB free");
    }

    @Test
    void refusesWhenOfflineOrUnlisted() {
        given(registered(2), listed());
        assertThat(when(placement("i-1", 1), T0).get(0)).isInstanceOf(PlacementRefused.class);
        given(online());
        assertThat(when(placement("i-2", 1), T0).get(0)).isInstanceOf(GpusAllocated.class);
    }

    @Test
    void refusesWhileInMaintenanceMode() {
        given(registered(2), online(), listed(), new MaintenanceModeChanged(meta(MACHINE), true));
        PlacementRefused refused = (PlacementRefused) when(placement("i-1", 1), T0).get(0);
        assertThat(refused.detail()).contains("maintenance");
        given(new MaintenanceModeChanged(meta(MACHINE), false));
        assertThat(when(placement("i-2", 1), T0).get(0)).isInstanceOf(GpusAllocated.class);
    }

    @Test
    void announcedMaintenanceNotifiesEveryRenterNowAndLaterOnesAtPlacementAndRefusesDuringTheWindow() {
        given(registered(4), online(), listed());
        when(placement("i-1", 1), T0);
        when(placement("i-2", 1), T0);
        var window = new MaintenanceScheduled(meta(MACHINE), "w-1", T0.plusSeconds(3600), T0.plusSeconds(7200), "fans");
        List<Event> notices = when(window, T0.plusSeconds(10));
        assertThat(notices).hasSize(2).allSatisfy(e -> {
            NoticeIssued n = (NoticeIssued) e;
            assertThat(n.kind()).isEqualTo("maintenance");
            assertThat(n.start()).isEqualTo(window.start());
            assertThat(n.end()).isEqualTo(window.end());
            assertThat(n.message()).contains("fans").contains("save your work");
        });
        assertThat(notices).extracting(e -> ((NoticeIssued) e).instanceId()).containsExactly("i-1", "i-2");
        List<Event> later = when(placement("i-3", 1), T0.plusSeconds(20));
        assertThat(later).as("a renter before the window is told too").hasAtLeastOneElementOfType(NoticeIssued.class);
        List<Event> during = when(placement("i-4", 1), T0.plusSeconds(3700));
        assertThat(((PlacementRefused) during.get(0)).detail()).contains("maintenance window");
        List<Event> after = when(placement("i-5", 1), T0.plusSeconds(7200));
        assertThat(after.get(0)).isInstanceOf(GpusAllocated.class);
        assertThat(after).as("the window is over: no notice").doesNotHaveAnyElementsOfTypes(NoticeIssued.class);
    }

    @Test
    void aFaultyGpuIsGivenToNoOneAndItsRenterIsTold() {
        given(registered(2), online(), listed());
        when(placement("i-1", 1), T0);
        List<Event> told = when(new GpuFaultReported(meta(MACHINE), 0, "Xid 79"), T0);
        assertThat(told).singleElement().satisfies(e -> {
            assertThat(((NoticeIssued) e).instanceId()).isEqualTo("i-1");
            assertThat(((NoticeIssued) e).message()).contains("GPU 0").contains("Xid 79");
        });
        given(new GpuFaultReported(meta(MACHINE), 1, "Xid 48"));
        assertThat(when(placement("i-2", 1), T0).get(0)).as("GPU 0 held, GPU 1 faulty")
                .isInstanceOf(PlacementRefused.class);
        given(new GpuFaultCleared(meta(MACHINE), 1));
        assertThat(((GpusAllocated) when(placement("i-3", 1), T0).get(0)).gpuIndexes()).containsExactly(1);
    }

    @Test
    void anExtensionMovesTheEndOfLiveContractsThatEndEarlier() {
        given(registered(4), online(), listed());
        when(placement("i-1", 1), T0);
        when(placement("i-2", 1), T0);
        when(termination("i-2"), T0.plusSeconds(60));
        Instant later = END.plusSeconds(7 * 86_400);

        List<Event> out = when(new ContractsExtended(meta(MACHINE), later), T0.plusSeconds(120));

        assertThat(out).hasSize(1);
        ContractExtended x = (ContractExtended) out.get(0);
        assertThat(x.instanceId()).isEqualTo("i-1");
        assertThat(x.endDate()).isEqualTo(later);
        assertThat(when(new ContractsExtended(meta(MACHINE), later), T0.plusSeconds(180)))
                .as("already ends then: nothing to extend").isEmpty();
    }

    @Test
    void goesOnlineOnlyWhenTheAgentReportsTheContainerRunning() {
        given(registered(2), online(), listed());
        String work = ((WorkIssued) when(placement("i-1", 1), T0).get(2)).workId();
        assertThat(when(report("other-work", "i-1", ContainerState.RUNNING), T0.plusSeconds(1))).isEmpty();
        List<Event> out = when(report(work, "i-1", ContainerState.RUNNING), T0.plusSeconds(3));
        assertThat(((InstanceStatusChanged) out.get(0)).status()).isEqualTo(InstanceStatus.ONLINE);
        // a duplicate report changes nothing
        assertThat(when(report(work, "i-1", ContainerState.RUNNING), T0.plusSeconds(4))).isEmpty();
    }

    @Test
    void metersOnlineSecondsUntilTerminationAndReleasesGpusWhenTheAgentConfirms() {
        given(registered(2), online(), listed());
        String work = ((WorkIssued) when(placement("i-1", 1), T0).get(2)).workId();
        when(report(work, "i-1", ContainerState.RUNNING), T0.plusSeconds(10));
        List<Event> usage = new ArrayList<>(tick(T0.plusMillis(15_700)));
        usage.addAll(tick(T0.plusSeconds(21)));
        List<Event> out = when(termination("i-1"), T0.plusSeconds(40));
        usage.add(out.get(0));
        assertThat(usage).allMatch(e -> e instanceof UsageRecorded);
        UsageRecorded last = (UsageRecorded) usage.get(usage.size() - 1);
        assertThat(last.onlineSecondsTotal()).isEqualTo(30);
        assertThat(usage).extracting(e -> ((UsageRecorded) e).onlineSeconds()).containsExactly(5L, 6L, 19L);
        assertThat(((InstanceStatusChanged) out.get(1)).status()).isEqualTo(InstanceStatus.TERMINATING);
        String terminateWork = ((WorkIssued) out.get(2)).workId();
        assertThat(((WorkIssued) out.get(2)).action()).isEqualTo(WorkAction.TERMINATE);
        // nothing is metered while terminating
        assertThat(tick(T0.plusSeconds(60))).isEmpty();
        List<Event> end = when(report(terminateWork, "i-1", ContainerState.REMOVED), T0.plusSeconds(61));
        assertThat(((InstanceStatusChanged) end.get(0)).status()).isEqualTo(InstanceStatus.TERMINATED);
        assertThat(end.get(1)).isInstanceOf(GpusReleased.class);
        assertThat(end.get(2)).isInstanceOf(InstanceReleased.class);
        assertThat(when(placement("i-2", 2), T0.plusSeconds(62)).get(0)).isInstanceOf(GpusAllocated.class);
    }

    @Test
    void replayingTopicAfterTopicReachesTheStateTheDecisionsReached() {
        List<Event> log = new ArrayList<>(List.of(registered(2), online(), listed()));
        given(log.toArray(Event[]::new));
        log.add(placement("i-1", 1));
        List<Event> placed = when(log.get(log.size() - 1), T0);
        log.addAll(placed);
        var running = report(((WorkIssued) placed.get(2)).workId(), "i-1", ContainerState.RUNNING);
        log.add(running);
        log.addAll(when(running, T0.plusSeconds(2)));
        log.addAll(tick(T0.plusSeconds(9)));
        log.add(placement("i-2", 1));
        log.addAll(when(log.get(log.size() - 1), T0.plusSeconds(10)));
        log.addAll(tick(T0.plusSeconds(16)));

        MachineRentals replayed = replayTopicByTopic(log);
        assertThat(replayed.version).isEqualTo(machine.version);
        assertThat(replayed.instances.keySet()).isEqualTo(machine.instances.keySet());
        for (Instance live : machine.instances.values()) {
            Instance again = replayed.instances.get(live.id);
            assertThat(again.status).isEqualTo(live.status);
            assertThat(again.gpus).isEqualTo(live.gpus);
            assertThat(again.meteredUntil).isEqualTo(live.meteredUntil);
            assertThat(again.onlineSecondsTotal).isEqualTo(live.onlineSecondsTotal);
            assertThat(again.lastWorkId).isEqualTo(live.lastWorkId);
        }
        assertThat(MachineDecider.tick(replayed, T0.plusSeconds(21)))
                .isEqualTo(MachineDecider.tick(machine, T0.plusSeconds(21)));
    }

    @Test
    void aFailedStartIsARentalErrorThatFreesTheGpus() {
        given(registered(1), online(), listed());
        String work = ((WorkIssued) when(placement("i-1", 1), T0).get(2)).workId();
        List<Event> out = when(report(work, "i-1", ContainerState.FAILED), T0.plusSeconds(2));
        assertThat(((InstanceStatusChanged) out.get(0)).status()).isEqualTo(InstanceStatus.RENTAL_ERROR);
        assertThat(out).hasAtLeastOneElementOfType(GpusReleased.class);
        assertThat(tick(T0.plusSeconds(60))).as("nothing is metered in creating or rental_error").isEmpty();
        assertThat(when(placement("i-2", 1), T0.plusSeconds(3)).get(0)).isInstanceOf(GpusAllocated.class);
    }

    @Test
    void aSuspendedOwnersInstanceIsMeteredUpToTheSuspensionThenNotAtAllAndStopped() {
        given(registered(2), online(), listed());
        String work = ((WorkIssued) when(placement("i-1", 1), T0).get(2)).workId();
        when(report(work, "i-1", ContainerState.RUNNING), T0.plusSeconds(10));
        tick(T0.plusSeconds(15));
        List<Event> out = when(new OwnerSuspended(meta(MACHINE), "i-1", ACCOUNT), T0.plusSeconds(18));
        assertThat(((UsageRecorded) out.get(0)).onlineSeconds()).as("metered up to the suspension").isEqualTo(3);
        assertThat(out.get(1)).isInstanceOf(MeteringPaused.class);
        WorkIssued stop = (WorkIssued) out.get(2);
        assertThat(stop.action()).isEqualTo(WorkAction.STOP);
        assertThat(tick(T0.plusSeconds(25))).as("nothing metered while suspended").isEmpty();
        // the agent stops the container: the GPUs are free again, the disk stays, and is not charged
        List<Event> stopped = when(report(stop.workId(), "i-1", ContainerState.STOPPED), T0.plusSeconds(30));
        assertThat(stopped).filteredOn(e -> e instanceof InstanceStatusChanged)
                .extracting(e -> ((InstanceStatusChanged) e).status()).containsExactly(InstanceStatus.STOPPED);
        assertThat(stopped).hasAtLeastOneElementOfType(GpusReleased.class);
        assertThat(tick(T0.plusSeconds(3_600))).isEmpty();
        assertThat(when(placement("i-2", 2), T0.plusSeconds(3_601)).get(0)).isInstanceOf(GpusAllocated.class);
        // a repeated suspension changes nothing
        assertThat(when(new OwnerSuspended(meta(MACHINE), "i-1", ACCOUNT), T0.plusSeconds(3_602))).isEmpty();
    }

    @Test
    void aReactivatedOwnersStoppedInstanceIsChargedStorageFromTheReactivation() {
        given(registered(2), online(), listed());
        String work = ((WorkIssued) when(placement("i-1", 1), T0).get(2)).workId();
        when(report(work, "i-1", ContainerState.RUNNING), T0.plusSeconds(10));
        WorkIssued stop = (WorkIssued) when(new OwnerSuspended(meta(MACHINE), "i-1", ACCOUNT), T0.plusSeconds(20))
                .get(2);
        when(report(stop.workId(), "i-1", ContainerState.STOPPED), T0.plusSeconds(22));
        List<Event> resumed = when(new OwnerReactivated(meta(MACHINE), "i-1", ACCOUNT), T0.plusSeconds(100));
        assertThat(resumed).singleElement().isInstanceOf(MeteringResumed.class);
        UsageRecorded storage = (UsageRecorded) tick(T0.plusSeconds(105)).get(0);
        assertThat(storage.start()).isEqualTo(T0.plusSeconds(100));
        assertThat(storage.onlineSeconds()).isZero();
        assertThat(storage.storageSeconds()).isEqualTo(5);
        assertThat(storage.onlineSecondsTotal()).isEqualTo(10);
        assertThat(storage.storageSecondsTotal()).isEqualTo(15);
    }

    @Test
    void trafficCountedByTheAgentGoesIntoTheNextIntervalAcrossCounterRestarts() {
        given(registered(2), online(), listed());
        String work = ((WorkIssued) when(placement("i-1", 1), T0).get(2)).workId();
        when(report(work, "i-1", ContainerState.RUNNING), T0.plusSeconds(10));
        given(heartbeat("i-1", 1_000, 500), heartbeat("other", 7, 7));
        UsageRecorded first = (UsageRecorded) tick(T0.plusSeconds(15)).get(0);
        assertThat(first.trafficBytes()).isEqualTo(1_500);
        // the container restarted: its counters began again from zero
        given(heartbeat("i-1", 2_000, 0), heartbeat("i-1", 100, 50));
        UsageRecorded second = (UsageRecorded) tick(T0.plusSeconds(20)).get(0);
        assertThat(second.trafficBytes()).isEqualTo(650);
        assertThat(second.trafficBytesTotal()).isEqualTo(2_150);
        assertThat(((UsageRecorded) tick(T0.plusSeconds(25)).get(0)).trafficBytes()).isZero();
    }

    private static HeartbeatReceived heartbeat(String instance, long rx, long tx) {
        return new HeartbeatReceived(meta(MACHINE), "boot", 1, T0, List.of(), "550", "12.4", 100L, List.of(instance),
                List.of(new ContainerTraffic(instance, rx, tx)));
    }

    @Test
    void stopFreesTheGpusKeepsTheDiskChargedAndStartTakesTheSameGpusBack() {
        given(registered(2), online(), listed());
        String work = ((WorkIssued) when(placement("i-1", 1), T0).get(2)).workId();
        when(report(work, "i-1", ContainerState.RUNNING), T0.plusSeconds(10));
        WorkIssued stop = (WorkIssued) when(new StopRequested(meta(MACHINE), "i-1", ACCOUNT), T0.plusSeconds(20))
                .get(0);
        assertThat(stop.action()).isEqualTo(WorkAction.STOP);
        assertThat(when(new StopRequested(meta(MACHINE), "i-1", ACCOUNT), T0.plusSeconds(21))).as("once").isEmpty();
        List<Event> stopped = when(report(stop.workId(), "i-1", ContainerState.STOPPED), T0.plusSeconds(22));
        assertThat(((UsageRecorded) stopped.get(0)).onlineSeconds()).isEqualTo(12);
        assertThat(((InstanceStatusChanged) stopped.get(1)).status()).isEqualTo(InstanceStatus.STOPPED);
        assertThat(((GpusReleased) stopped.get(2)).gpuIndexes()).containsExactly(0);
        UsageRecorded storage = (UsageRecorded) tick(T0.plusSeconds(30)).get(0);
        assertThat(storage.onlineSeconds()).isZero();
        assertThat(storage.storageSeconds()).isEqualTo(8);

        List<Event> started = when(new StartRequested(meta(MACHINE), "i-1", ACCOUNT), T0.plusSeconds(40));
        assertThat(((GpusAllocated) started.get(0)).gpuIndexes()).containsExactly(0);
        WorkIssued start = (WorkIssued) started.get(1);
        assertThat(start.action()).isEqualTo(WorkAction.START);
        List<Event> running = when(report(start.workId(), "i-1", ContainerState.RUNNING), T0.plusSeconds(45));
        assertThat(((UsageRecorded) running.get(0)).storageSeconds()).as("storage up to the restart").isEqualTo(15);
        assertThat(((InstanceStatusChanged) running.get(1)).status()).isEqualTo(InstanceStatus.ONLINE);
        UsageRecorded online = (UsageRecorded) tick(T0.plusSeconds(50)).get(0);
        assertThat(online.onlineSeconds()).isEqualTo(5);
        assertThat(online.onlineSecondsTotal()).isEqualTo(17);
        assertThat(online.storageSecondsTotal()).isEqualTo(40);
    }

    @Test
    void nothingIsMeteredWhileTheMachineIsOfflineAndRentersAreTold() {
        given(registered(1), online(), listed());
        String work = ((WorkIssued) when(placement("i-1", 1), T0).get(2)).workId();
        when(report(work, "i-1", ContainerState.RUNNING), T0.plusSeconds(1));
        List<Event> gone = when(new io.gpumarket.events.machine.MachineEvent.MachineWentOffline(meta(MACHINE),
                "3 heartbeats missed", List.of("i-1")), T0.plusSeconds(11));
        assertThat(((UsageRecorded) gone.get(0)).onlineSeconds()).as("metered up to the loss").isEqualTo(10);
        assertThat(((NoticeIssued) gone.get(1)).kind()).isEqualTo("machine-offline");
        assertThat(tick(T0.plusSeconds(600))).as("nothing while offline").isEmpty();
        List<Event> back = when(new io.gpumarket.events.machine.MachineEvent.MachineCameOnline(
                io.gpumarket.events.EventMeta.of(java.util.UUID.randomUUID(), MACHINE, 0, T0.plusSeconds(900)), "1"),
                T0.plusSeconds(900));
        assertThat(((NoticeIssued) back.get(0)).kind()).isEqualTo("machine-online");
        UsageRecorded after = (UsageRecorded) tick(T0.plusSeconds(905)).get(0);
        assertThat(after.start()).isEqualTo(T0.plusSeconds(900));
        assertThat(after.onlineSecondsTotal()).as("10 s before, 5 s after: the dead time is free").isEqualTo(15);
    }

    @Test
    void aStartWaitsInSchedulingUntilItsGpusAreFree() {
        given(registered(1), online(), listed());
        String work = ((WorkIssued) when(placement("i-1", 1), T0).get(2)).workId();
        when(report(work, "i-1", ContainerState.RUNNING), T0.plusSeconds(1));
        WorkIssued stop = (WorkIssued) when(new StopRequested(meta(MACHINE), "i-1", ACCOUNT), T0.plusSeconds(2)).get(0);
        when(report(stop.workId(), "i-1", ContainerState.STOPPED), T0.plusSeconds(3));
        // someone else rents the freed GPU
        String other = ((WorkIssued) when(placement("i-2", 1), T0.plusSeconds(4)).get(2)).workId();
        List<Event> waiting = when(new StartRequested(meta(MACHINE), "i-1", ACCOUNT), T0.plusSeconds(5));
        assertThat(waiting).filteredOn(e -> e instanceof InstanceStatusChanged).singleElement()
                .satisfies(e -> assertThat(((InstanceStatusChanged) e).status()).isEqualTo(InstanceStatus.SCHEDULING));
        assertThat(tick(T0.plusSeconds(9))).noneMatch(e -> e instanceof GpusAllocated);
        // the other instance ends: once the agent confirms, the waiting one starts on its GPU
        WorkIssued end = (WorkIssued) when(termination("i-2"), T0.plusSeconds(10)).get(1);
        List<Event> ticked = when(report(end.workId(), "i-2", ContainerState.REMOVED), T0.plusSeconds(11));
        assertThat(ticked).filteredOn(e -> e instanceof GpusAllocated).singleElement()
                .satisfies(e -> assertThat(((GpusAllocated) e).instanceId()).isEqualTo("i-1"));
        assertThat(ticked).filteredOn(e -> e instanceof WorkIssued).singleElement()
                .satisfies(e -> assertThat(((WorkIssued) e).action()).isEqualTo(WorkAction.START));
    }

    @Test
    void onlyAnOnlineInstanceStopsAndOnlyAStoppedOneStarts() {
        given(registered(2), online(), listed());
        when(placement("i-1", 1), T0);
        assertThat(when(new StopRequested(meta(MACHINE), "i-1", ACCOUNT), T0.plusSeconds(1))).as("creating").isEmpty();
        assertThat(when(new StartRequested(meta(MACHINE), "i-1", ACCOUNT), T0.plusSeconds(1))).isEmpty();
        assertThat(when(new StopRequested(meta(MACHINE), "i-1", "someone-else"), T0.plusSeconds(1))).isEmpty();
    }

    @Test
    void atTheContractsEndAnInstanceExpiresIsChargedItsDiskAndIsDeleted48HoursLater() {
        given(registered(2), online(), listed());
        String work = ((WorkIssued) when(placement("i-1", 1), T0).get(2)).workId();
        when(report(work, "i-1", ContainerState.RUNNING), T0.plusSeconds(10));
        tick(END.minusSeconds(2));
        List<Event> expired = tick(END.plusSeconds(3));
        UsageRecorded toTheEnd = (UsageRecorded) expired.get(0);
        assertThat(toTheEnd.end()).as("GPUs metered up to the contract's end only").isEqualTo(END);
        assertThat(toTheEnd.onlineSeconds()).isEqualTo(2);
        assertThat(((InstanceStatusChanged) expired.get(1)).status()).isEqualTo(InstanceStatus.EXPIRED);
        WorkIssued stop = (WorkIssued) expired.get(2);
        assertThat(stop.action()).isEqualTo(WorkAction.STOP);
        assertThat(((InstanceReleased) expired.get(3)).aggregateId()).as("no longer counts for the account")
                .isEqualTo(ACCOUNT);
        assertThat(when(report(stop.workId(), "i-1", ContainerState.STOPPED), END.plusSeconds(5)))
                .singleElement().isInstanceOf(GpusReleased.class);
        assertThat(when(new StartRequested(meta(MACHINE), "i-1", ACCOUNT), END.plusSeconds(6))).as("cannot start")
                .isEmpty();
        UsageRecorded disk = (UsageRecorded) tick(END.plusSeconds(60)).get(0);
        assertThat(disk.start()).isEqualTo(END);
        assertThat(disk.onlineSeconds()).isZero();
        assertThat(disk.storageSeconds()).isEqualTo(60);

        List<Event> deleted = tick(END.plus(MachineDecider.EXPIRED_KEPT));
        assertThat(deleted).filteredOn(e -> e instanceof InstanceStatusChanged).singleElement()
                .satisfies(e -> assertThat(((InstanceStatusChanged) e).status()).isEqualTo(InstanceStatus.TERMINATING));
        WorkIssued terminate = (WorkIssued) deleted.get(deleted.size() - 1);
        assertThat(terminate.action()).isEqualTo(WorkAction.TERMINATE);
        assertThat(tick(END.plus(MachineDecider.EXPIRED_KEPT).plusSeconds(10))).isEmpty();
        List<Event> gone = when(report(terminate.workId(), "i-1", ContainerState.REMOVED),
                END.plus(MachineDecider.EXPIRED_KEPT).plusSeconds(11));
        assertThat(((InstanceStatusChanged) gone.get(0)).status()).isEqualTo(InstanceStatus.TERMINATED);
    }

    @Test
    void anExtensionBeforeTheDeletionMakesAnExpiredInstanceStoppedAgain() {
        given(registered(2), online(), listed());
        String work = ((WorkIssued) when(placement("i-1", 1), T0).get(2)).workId();
        when(report(work, "i-1", ContainerState.RUNNING), T0.plusSeconds(10));
        tick(END.plusSeconds(1));
        Instant later = END.plusSeconds(30L * 86_400);
        List<Event> out = when(new ContractsExtended(meta(MACHINE), later), END.plusSeconds(3_600));
        assertThat(out).filteredOn(e -> e instanceof InstanceStatusChanged).singleElement()
                .satisfies(e -> assertThat(((InstanceStatusChanged) e).status()).isEqualTo(InstanceStatus.STOPPED));
        assertThat(tick(END.plus(MachineDecider.EXPIRED_KEPT))).noneMatch(e -> e instanceof WorkIssued);
    }
}
