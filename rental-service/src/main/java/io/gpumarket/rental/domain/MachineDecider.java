package io.gpumarket.rental.domain;

import io.gpumarket.events.Event;
import io.gpumarket.events.heartbeat.HeartbeatEvent.ContainerTraffic;
import io.gpumarket.events.heartbeat.HeartbeatEvent.HeartbeatReceived;
import io.gpumarket.events.machine.ContainerState;
import io.gpumarket.events.machine.MachineEvent.ContainerReported;
import io.gpumarket.events.machine.MachineEvent.MachineCameOnline;
import io.gpumarket.events.machine.MachineEvent.MachineRegistered;
import io.gpumarket.events.machine.MachineEvent.MachineWentOffline;
import io.gpumarket.events.machine.MachineEvent.GpuFaultCleared;
import io.gpumarket.events.machine.MachineEvent.GpuFaultReported;
import io.gpumarket.events.machine.MachineEvent.MaintenanceModeChanged;
import io.gpumarket.events.machine.MachineEvent.MaintenanceScheduled;
import io.gpumarket.events.offer.OfferEvent.ContractsExtended;
import io.gpumarket.events.rental.RentalEvent.ContractExtended;
import io.gpumarket.events.offer.OfferEvent.ListingPublished;
import io.gpumarket.events.offer.OfferEvent.ListingWithdrawn;
import io.gpumarket.events.rental.RejectionReason;
import io.gpumarket.events.money.Money;
import io.gpumarket.events.rental.Contract;
import io.gpumarket.events.rental.RentalType;
import io.gpumarket.events.rental.Reservation;
import io.gpumarket.events.rental.RentalEvent.BidChangeRequested;
import io.gpumarket.events.rental.RentalEvent.BidChanged;
import io.gpumarket.events.rental.RentalEvent.PlacementAccepted;
import io.gpumarket.events.rental.RentalEvent.RestartRequested;
import io.gpumarket.events.rental.RentalEvent.SshKeysChangeRequested;
import io.gpumarket.events.rental.RentalEvent.SshKeysChanged;
import io.gpumarket.events.usage.UsageEvent.ReservationEnded;
import io.gpumarket.events.usage.UsageEvent.ReservationPrepaid;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalEvent.GpusReleased;
import io.gpumarket.events.rental.RentalEvent.InstanceReleased;
import io.gpumarket.events.rental.RentalEvent.MeteringPaused;
import io.gpumarket.events.rental.RentalEvent.MeteringResumed;
import io.gpumarket.events.rental.RentalEvent.NoticeIssued;
import io.gpumarket.events.rental.RentalEvent.OwnerReactivated;
import io.gpumarket.events.rental.RentalEvent.OwnerSuspended;
import io.gpumarket.events.rental.RentalEvent.PlacementRefused;
import io.gpumarket.events.rental.RentalEvent.PlacementRequested;
import io.gpumarket.events.rental.RentalEvent.StartRequested;
import io.gpumarket.events.rental.RentalEvent.StopRequested;
import io.gpumarket.events.rental.RentalEvent.TerminationRequested;
import io.gpumarket.events.rental.RentalEvent.WorkIssued;
import io.gpumarket.events.rental.WorkAction;
import io.gpumarket.events.status.InstanceStatus;
import io.gpumarket.events.status.StatusEvent.InstanceStatusChanged;
import io.gpumarket.events.usage.UsageEvent.UsageRecorded;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Everything physical, decided per machine one input at a time: GPU allocation (a GPU is never
 * held by two instances, a faulty GPU by none; none on a machine offline, in maintenance (mode or
 * an announced window) or past its listing's end), notices to renters of announced maintenance
 * (also to those who rent before the window) and of faults on their GPUs,
 * contract extensions when the host extends the listing, each instance's status (following the agent's reports, never a timer),
 * and metering: a usage interval closes at every status change and at every tick while a charged
 * status lasts, with one-second boundaries (nothing is metered while the machine is offline: its
 * renters are told when it goes and when it is back), carrying the running totals billing prices (traffic
 * from the agent's heartbeats included). An instance whose owner is suspended is not metered and is
 * stopped (its GPUs are released when the agent reports the container stopped). Its owner can stop
 * a running instance (the disk stays, and is charged) and start it again on the same GPUs, waiting in
 * {@code scheduling} until they are free; restart it in place; change its SSH keys. At the contract's end an instance expires (stopped, disk
 * kept and charged) and is deleted 48 h later unless the host extends the contract.
 */
public final class MachineDecider {
    /** How long an expired instance's disk is kept before it is deleted. */
    public static final Duration EXPIRED_KEPT = Duration.ofHours(48);
    private static final Set<InstanceStatus> EXPIRING = EnumSet.of(InstanceStatus.CREATING,
            InstanceStatus.ONLINE, InstanceStatus.STOPPED, InstanceStatus.SCHEDULING, InstanceStatus.OUTBID);

    private MachineDecider() {}

    public static List<Event> decide(MachineRentals m, Event input, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.SECONDS);
        if (input instanceof PlacementRequested p) {
            return place(m, p, now);
        } else if (input instanceof ContainerReported r) {
            return reported(m, r, now);
        } else if (input instanceof TerminationRequested t) {
            return terminate(m, t, now);
        } else if (input instanceof ContractsExtended x) {
            return extend(m, x, now);
        } else if (input instanceof MaintenanceScheduled w) {
            return maintenance(m, w, now);
        } else if (input instanceof GpuFaultReported f) {
            return fault(m, f, now);
        } else if (input instanceof StopRequested x) {
            return stop(m, x, now);
        } else if (input instanceof StartRequested x) {
            return start(m, x, now);
        } else if (input instanceof OwnerSuspended x) {
            return ownerSuspended(m, x, now);
        } else if (input instanceof OwnerReactivated x) {
            return ownerReactivated(m, x, now);
        } else if (input instanceof BidChangeRequested x) {
            return changeBid(m, x, now);
        } else if (input instanceof MachineWentOffline x) {
            return wentOffline(m, x, now);
        } else if (input instanceof MachineCameOnline x) {
            return cameOnline(m, x, now);
        } else if (input instanceof RestartRequested x) {
            return restart(m, x, now);
        } else if (input instanceof SshKeysChangeRequested x) {
            return changeKeys(m, x, now);
        }
        return List.of();
    }

    /** Closes the open usage interval of every charged instance at {@code at}. */
    public static List<Event> tick(MachineRentals m, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.SECONDS);
        var d = new Decision(m.machineId, m.version, now, null);
        for (Instance i : m.instances.values()) {
            if (EXPIRING.contains(i.status) && !now.isBefore(i.contract.endDate())) {
                expire(d, m, i);
            } else if (i.status == InstanceStatus.EXPIRED && !now.isBefore(i.contract.endDate().plus(EXPIRED_KEPT))
                    && i.lastWorkAction != WorkAction.TERMINATE) {
                closeUsage(d, m, i, now);
                d.add(new InstanceStatusChanged(d.next(), i.id, i.accountId, InstanceStatus.TERMINATING,
                        "deleted " + EXPIRED_KEPT.toHours() + " h after its contract ended"));
                d.add(new WorkIssued(d.next(), d.derivedId("work"), i.id, WorkAction.TERMINATE, i.gpus,
                        i.contract.diskGb(), i.container));
            } else {
                closeUsage(d, m, i, now);
            }
        }
        return d.events();
    }

    /**
     * Brings the machine's GPUs in line with the rules after anything changed: see
     * {@link GpuAssignment}. Returns nothing when they already are.
     */
    public static List<Event> settle(MachineRentals m, Instant at) {
        return GpuAssignment.settle(m, at.truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * The contract's end date passed: usage is metered up to it, the instance becomes {@code expired}
     * (its container stopped, its disk kept and charged, it no longer counts for its account) and is
     * deleted {@link #EXPIRED_KEPT} later unless the host extends the contract first.
     */
    private static void expire(Decision d, MachineRentals m, Instance i) {
        Instant end = i.contract.endDate();
        closeUsage(d, m, i, end);
        boolean running = i.status == InstanceStatus.ONLINE || i.status == InstanceStatus.CREATING;
        d.add(new InstanceStatusChanged(d.next(), i.id, i.accountId, InstanceStatus.EXPIRED, "the contract ended at "
                + end + "; the disk is deleted " + EXPIRED_KEPT.toHours() + " h later unless the host extends it"));
        if (running) {
            d.add(new WorkIssued(d.next(), d.derivedId("work"), i.id, WorkAction.STOP, i.gpus, i.contract.diskGb(),
                    i.container));
        }
        d.add(new InstanceReleased(d.notify(i.accountId), i.id, InstanceStatus.EXPIRED.wire()));
    }

    /** Why the machine takes no new rental now, or null. */
    private static String refusal(MachineRentals m, Instant now) {
        if (m.gpuCount == 0) {
            return "the machine is not registered";
        }
        String cannotRun = canRun(m, now);
        if (cannotRun != null) {
            return cannotRun;
        } else if (m.listing == null) {
            return "the machine is not listed";
        } else if (!m.listing.endDate().isAfter(now)) {
            return "the machine's listing has ended";
        }
        return null;
    }

    /** Why nothing can run on the machine now (a started instance included), or null. */
    static String canRun(MachineRentals m, Instant now) {
        MaintenanceScheduled window = inWindow(m, now);
        if (!m.online) {
            return "the machine is offline";
        } else if (m.maintenance) {
            return "the machine is in maintenance";
        } else if (window != null) {
            return "the machine is in a maintenance window until " + window.end();
        }
        return null;
    }

    private static boolean allFree(BitSet free, List<Integer> gpus) {
        return gpus.stream().allMatch(free::get);
    }

    /** The owner stops a running instance: the agent stops the container; its report frees the GPUs. */
    private static List<Event> stop(MachineRentals m, StopRequested x, Instant now) {
        Instance i = m.instances.get(x.instanceId());
        if (i == null || !i.accountId.equals(x.accountId()) || i.status != InstanceStatus.ONLINE
                || i.lastWorkAction == WorkAction.STOP) {
            return List.of();
        }
        var d = new Decision(m.machineId, m.version, now, x.meta().requestId());
        return d.add(new WorkIssued(d.next(), d.derivedId("work"), i.id, WorkAction.STOP, i.gpus, i.contract.diskGb(),
                i.container)).events();
    }

    /**
     * The owner starts a stopped instance: on the GPUs it held, at once if they are free (it stays
     * stopped until the agent reports the container running), else it waits in {@code scheduling}
     * until they are (interruptibles holding them are preempted). An interruptible waits in
     * {@code scheduling} for its bid to win GPUs.
     */
    private static List<Event> start(MachineRentals m, StartRequested x, Instant now) {
        Instance i = m.instances.get(x.instanceId());
        if (i == null || !i.accountId.equals(x.accountId()) || i.status != InstanceStatus.STOPPED || i.meteringPaused
                || i.lastWorkAction == WorkAction.START) {
            return List.of();
        }
        var d = new Decision(m.machineId, m.version, now, x.meta().requestId());
        if (!i.interruptible() && canRun(m, now) == null && allFree(m.freeGpus(), i.parkedGpus)) {
            return startOn(d, i, i.parkedGpus).events();
        }
        closeUsage(d, m, i, now);
        String why = canRun(m, now);
        return d.add(new InstanceStatusChanged(d.next(), i.id, i.accountId, InstanceStatus.SCHEDULING,
                why != null ? "waiting to start: " + why
                        : i.interruptible() ? "waiting for its bid to win GPUs"
                        : "waiting for GPUs " + i.parkedGpus + " to be free")).events();
    }

    /** Gives the instance {@code gpus} and sends the agent the work to start its container on them. */
    static Decision startOn(Decision d, Instance i, List<Integer> gpus) {
        d.add(new GpusAllocated(d.next(), i.id, gpus, i.contract.type()));
        return d.add(new WorkIssued(d.next(), d.derivedId("work"), i.id, WorkAction.START, gpus,
                i.contract.diskGb(), i.container));
    }

    /**
     * A placement decided as the account's approval writes its request (no trip through the log):
     * the events of {@link #decide} when the request is placed (GPUs allocated, or accepted to
     * bid or to wait for preempted GPUs), else null, so that a refusal is decided only when the log
     * brings the request back, after any fact about the machine written before it (its
     * registration, its listing, a GPU freed) has been read.
     */
    public static List<Event> placeAtOnce(MachineRentals m, PlacementRequested p, Instant at) {
        List<Event> placed = decide(m, p, at);
        boolean accepted = placed.stream().anyMatch(e -> e instanceof GpusAllocated || e instanceof PlacementAccepted);
        return accepted ? placed : null;
    }

    private static List<Event> place(MachineRentals m, PlacementRequested p, Instant now) {
        if (m.instances.containsKey(p.instanceId())) {
            return List.of();
        }
        var d = new Decision(m.machineId, m.version, now, p.meta().requestId());
        Contract c = p.contract();
        BitSet free = m.freeGpus();
        BitSet claimable = m.notFixedGpus();
        String refusal = refusal(m, now);
        RejectionReason reason = RejectionReason.OFFER_UNAVAILABLE;
        if (refusal == null && c.type() == RentalType.INTERRUPTIBLE
                && c.gpuPricePerHourMicros() < m.listing.minBidPerHourMicros()) {
            reason = RejectionReason.BID_TOO_LOW;
            refusal = "the bid of " + Money.format(c.gpuPricePerHourMicros()) + " per GPU-hour is below the host's"
                    + " minimum of " + Money.format(m.listing.minBidPerHourMicros());
        } else if (refusal == null && c.diskGb() > m.freeDiskGb()) {
            reason = RejectionReason.DISK_TAKEN;
            refusal = c.diskGb() + " GB of disk asked, " + Math.max(0, m.freeDiskGb()) + " GB free";
        } else if (refusal == null && claimable.cardinality() < c.numGpus()) {
            reason = RejectionReason.GPUS_TAKEN;
            refusal = c.numGpus() + " GPUs asked, " + free.cardinality() + " free"
                    + (claimable.cardinality() > free.cardinality() ? ", " + claimable.cardinality()
                            + " free or held by interruptible instances" : "");
        }
        if (refusal != null) {
            d.add(new PlacementRefused(d.next(), p.instanceId(), reason, refusal));
            d.add(new InstanceStatusChanged(d.next(), p.instanceId(), p.accountId(), InstanceStatus.RENTAL_ERROR,
                    refusal));
            return d.add(new InstanceReleased(d.notify(p.accountId()), p.instanceId(), "rental_error")).events();
        }
        if (c.type() == RentalType.INTERRUPTIBLE) {
            d.add(new PlacementAccepted(d.next(), p.instanceId(), List.of()));
            d.add(new InstanceStatusChanged(d.next(), p.instanceId(), p.accountId(), InstanceStatus.CREATING,
                    "bidding " + Money.format(c.gpuPricePerHourMicros()) + " per GPU-hour; it starts while its bid"
                            + " holds GPUs"));
        } else if (free.cardinality() >= c.numGpus()) {
            List<Integer> gpus = GpuAssignment.lowest(free, c.numGpus());
            d.add(new GpusAllocated(d.next(), p.instanceId(), gpus, c.type()));
            d.add(new InstanceStatusChanged(d.next(), p.instanceId(), p.accountId(), InstanceStatus.CREATING,
                    "GPUs " + gpus + " allocated; starting the container"));
            d.add(new WorkIssued(d.next(), d.derivedId("work"), p.instanceId(), WorkAction.START, gpus,
                    c.diskGb(), p.container()));
        } else {
            List<Integer> claimed = GpuAssignment.claim(m, free, c.numGpus());
            d.add(new PlacementAccepted(d.next(), p.instanceId(), claimed));
            d.add(new InstanceStatusChanged(d.next(), p.instanceId(), p.accountId(), InstanceStatus.CREATING,
                    "GPUs " + claimed + " claimed; waiting for the interruptible instances on them to stop"));
        }
        if (c.gpuPrepaid()) {
            d.add(new ReservationPrepaid(d.next(), p.instanceId(), p.accountId(), p.hostAccountId(), c));
        }
        for (MaintenanceScheduled w : m.windows.values()) {
            if (w.end().isAfter(now)) {
                d.add(maintenanceNotice(d, p.instanceId(), p.accountId(), w));
            }
        }
        return d.events();
    }

    private static List<Event> reported(MachineRentals m, ContainerReported r, Instant now) {
        Instance i = m.instances.get(r.instanceId());
        if (i == null || !r.workId().equals(i.lastWorkId)) {
            return List.of();
        }
        var d = new Decision(m.machineId, m.version, now, r.meta().requestId());
        boolean starting = i.status == InstanceStatus.CREATING || i.status == InstanceStatus.STOPPED
                || i.status == InstanceStatus.SCHEDULING || i.status == InstanceStatus.OUTBID;
        if (starting && r.state() == ContainerState.RUNNING) {
            closeUsage(d, m, i, now);
            return d.add(new InstanceStatusChanged(d.next(), i.id, i.accountId, InstanceStatus.ONLINE,
                    i.status == InstanceStatus.OUTBID ? "container running: its bid holds GPUs again"
                            : "container running")).events();
        }
        if (i.status == InstanceStatus.ONLINE && r.state() == ContainerState.FAILED
                && i.lastWorkAction == WorkAction.UPDATE_KEYS) {
            return d.add(new NoticeIssued(d.next(), i.id, i.accountId, "ssh-keys", "the new SSH keys could not be"
                    + " installed in the running container (" + r.detail() + "); they apply at its next start",
                    null, null)).events();
        }
        if (i.status == InstanceStatus.ONLINE && r.state() == ContainerState.FAILED
                && i.lastWorkAction == WorkAction.RESTART) {
            closeUsage(d, m, i, now);
            d.add(new InstanceStatusChanged(d.next(), i.id, i.accountId, InstanceStatus.STOPPED,
                    "the container failed to restart: " + r.detail()));
            return d.add(new GpusReleased(d.next(), i.id, i.gpus)).events();
        }
        if (i.status == InstanceStatus.OUTBID && r.state() == ContainerState.STOPPED && !i.gpus.isEmpty()) {
            return d.add(new GpusReleased(d.next(), i.id, i.gpus)).events();
        }
        if ((i.status == InstanceStatus.STOPPED || i.status == InstanceStatus.SCHEDULING
                || i.status == InstanceStatus.OUTBID) && r.state() == ContainerState.FAILED) {
            closeUsage(d, m, i, now);
            d.add(new InstanceStatusChanged(d.next(), i.id, i.accountId, InstanceStatus.STOPPED,
                    "the container failed to start again: " + r.detail()));
            return d.add(new GpusReleased(d.next(), i.id, i.gpus)).events();
        }
        if (i.status == InstanceStatus.CREATING && r.state() == ContainerState.FAILED) {
            if (i.contract.gpuPrepaid()) {
                Reservation res = i.contract.reservation();
                d.add(new ReservationEnded(d.next(), i.id, i.accountId, i.hostAccountId, i.contract, res.from()));
            }
            return end(d, i, InstanceStatus.RENTAL_ERROR, "the container failed to start: " + r.detail());
        }
        if (i.status == InstanceStatus.TERMINATING && r.state() == ContainerState.REMOVED) {
            return end(d, i, InstanceStatus.TERMINATED, "container and disk removed");
        }
        if (i.status == InstanceStatus.EXPIRED && r.state() == ContainerState.STOPPED && !i.gpus.isEmpty()) {
            return d.add(new GpusReleased(d.next(), i.id, i.gpus)).events();
        }
        if ((i.status == InstanceStatus.ONLINE || i.status == InstanceStatus.CREATING)
                && r.state() == ContainerState.STOPPED) {
            closeUsage(d, m, i, now);
            d.add(new InstanceStatusChanged(d.next(), i.id, i.accountId, InstanceStatus.STOPPED,
                    i.meteringPaused ? "stopped: the account is suspended" : "stopped by its owner"));
            return d.add(new GpusReleased(d.next(), i.id, i.gpus)).events();
        }
        return List.of();
    }

    /**
     * The owner of an interruptible changes its bid: the open interval closes at the old price, a
     * new meter starts at the new one, and the GPUs are weighed again ({@link #settle}).
     */
    private static List<Event> changeBid(MachineRentals m, BidChangeRequested x, Instant now) {
        Instance i = m.instances.get(x.instanceId());
        if (i == null || !i.accountId.equals(x.accountId()) || !i.interruptible() || !live(i)
                || i.status == InstanceStatus.EXPIRED || i.bid() == x.bidPerHourMicros()
                || (m.listing != null && x.bidPerHourMicros() < m.listing.minBidPerHourMicros())) {
            return List.of();
        }
        var d = new Decision(m.machineId, m.version, now, x.meta().requestId());
        closeUsage(d, m, i, now);
        return d.add(new BidChanged(d.next(), i.id, x.bidPerHourMicros(), i.meter + 1, i.trafficSeen)).events();
    }

    /**
     * The machine went offline: each metered instance's usage closes now and nothing is metered
     * until it is back (the dead time is free); its renter is told.
     */
    private static List<Event> wentOffline(MachineRentals m, MachineWentOffline x, Instant now) {
        var d = new Decision(m.machineId, m.version, now, x.meta().requestId());
        for (Instance i : m.instances.values()) {
            if (live(i)) {
                record(d, i, now);
                d.add(new NoticeIssued(d.next(), i.id, i.accountId, "machine-offline", "the machine went offline at "
                        + now + " (" + x.reason() + "); nothing is charged until it is back", null, null));
            }
        }
        return d.events();
    }

    /** The machine is back: metering resumes from now (see {@link #evolve}); renters are told. */
    private static List<Event> cameOnline(MachineRentals m, MachineCameOnline x, Instant now) {
        var d = new Decision(m.machineId, m.version, now, x.meta().requestId());
        for (Instance i : m.instances.values()) {
            if (live(i) && i.meteredUntil != null) {
                d.add(new NoticeIssued(d.next(), i.id, i.accountId, "machine-online", "the machine is back online"
                        + " since " + now, null, null));
            }
        }
        return d.events();
    }

    /** The owner restarts a running container in place: it keeps its GPUs and stays online. */
    private static List<Event> restart(MachineRentals m, RestartRequested x, Instant now) {
        Instance i = m.instances.get(x.instanceId());
        if (i == null || !i.accountId.equals(x.accountId()) || i.status != InstanceStatus.ONLINE
                || i.lastWorkAction == WorkAction.STOP) {
            return List.of();
        }
        var d = new Decision(m.machineId, m.version, now, x.meta().requestId());
        return d.add(new WorkIssued(d.next(), d.derivedId("work"), i.id, WorkAction.RESTART, i.gpus,
                i.contract.diskGb(), i.container)).events();
    }

    /**
     * The owner replaces the instance's SSH keys: they go into its container spec (used at every
     * start) and, while it runs, the agent installs them in the running container.
     */
    private static List<Event> changeKeys(MachineRentals m, SshKeysChangeRequested x, Instant now) {
        Instance i = m.instances.get(x.instanceId());
        if (i == null || !i.accountId.equals(x.accountId()) || !live(i)) {
            return List.of();
        }
        var d = new Decision(m.machineId, m.version, now, x.meta().requestId());
        d.add(new SshKeysChanged(d.next(), i.id, x.sshPublicKeys()));
        if (i.status == InstanceStatus.ONLINE && i.lastWorkAction != WorkAction.STOP) {
            d.add(new WorkIssued(d.next(), d.derivedId("work"), i.id, WorkAction.UPDATE_KEYS, i.gpus,
                    i.contract.diskGb(), i.container.withSshPublicKeys(x.sshPublicKeys())));
        }
        return d.events();
    }

    /** The owner was suspended: metering stops now and a running (or starting) container is stopped. */
    private static List<Event> ownerSuspended(MachineRentals m, OwnerSuspended x, Instant now) {
        Instance i = m.instances.get(x.instanceId());
        if (i == null || !live(i) || i.meteringPaused) {
            return List.of();
        }
        var d = new Decision(m.machineId, m.version, now, x.meta().requestId());
        closeUsage(d, m, i, now);
        d.add(new MeteringPaused(d.next(), i.id, "the owner's account is suspended"));
        if (i.status == InstanceStatus.ONLINE || i.status == InstanceStatus.CREATING) {
            d.add(new WorkIssued(d.next(), d.derivedId("work"), i.id, WorkAction.STOP, i.gpus, i.contract.diskGb(),
                    i.container));
        }
        return d.events();
    }

    /** The owner is active again: metering resumes from now; the instance stays as it is (stopped). */
    private static List<Event> ownerReactivated(MachineRentals m, OwnerReactivated x, Instant now) {
        Instance i = m.instances.get(x.instanceId());
        if (i == null || !i.meteringPaused) {
            return List.of();
        }
        var d = new Decision(m.machineId, m.version, now, x.meta().requestId());
        return d.add(new MeteringResumed(d.next(), i.id)).events();
    }

    private static List<Event> terminate(MachineRentals m, TerminationRequested t, Instant now) {
        Instance i = m.instances.get(t.instanceId());
        if (i == null || !i.accountId.equals(t.accountId()) || i.status == InstanceStatus.TERMINATING
                || i.status == InstanceStatus.TERMINATED || i.status == InstanceStatus.RENTAL_ERROR) {
            return List.of();
        }
        var d = new Decision(m.machineId, m.version, now, t.meta().requestId());
        closeUsage(d, m, i, now);
        d.add(new InstanceStatusChanged(d.next(), i.id, i.accountId, InstanceStatus.TERMINATING, t.reason()));
        if (i.contract.gpuPrepaid() && now.isBefore(i.contract.reservation().until())) {
            d.add(new ReservationEnded(d.next(), i.id, i.accountId, i.hostAccountId, i.contract, now));
        }
        return d.add(new WorkIssued(d.next(), d.derivedId("work"), i.id, WorkAction.TERMINATE, i.gpus,
                i.contract.diskGb(), i.container)).events();
    }

    /** The host announced maintenance: every live instance's renter is told now, with the window. */
    private static List<Event> maintenance(MachineRentals m, MaintenanceScheduled w, Instant now) {
        var d = new Decision(m.machineId, m.version, now, w.meta().requestId());
        for (Instance i : m.instances.values()) {
            if (live(i)) {
                d.add(maintenanceNotice(d, i.id, i.accountId, w));
            }
        }
        return d.events();
    }

    private static NoticeIssued maintenanceNotice(Decision d, String instanceId, String accountId,
            MaintenanceScheduled w) {
        return new NoticeIssued(d.next(), instanceId, accountId, "maintenance", "the host will take the machine down "
                + "for maintenance from " + w.start() + " to " + w.end() + " (" + w.reason() + "): save your work",
                w.start(), w.end());
    }

    /** A GPU failed: the renters of the instances holding it are told. */
    private static List<Event> fault(MachineRentals m, GpuFaultReported f, Instant now) {
        var d = new Decision(m.machineId, m.version, now, f.meta().requestId());
        for (Instance i : m.instances.values()) {
            if (live(i) && i.gpus.contains(f.gpuIndex())) {
                d.add(new NoticeIssued(d.next(), i.id, i.accountId, "gpu-fault", "GPU " + f.gpuIndex()
                        + " of this instance reported a fault: " + f.reason(), null, null));
            }
        }
        return d.events();
    }

    private static MaintenanceScheduled inWindow(MachineRentals m, Instant now) {
        for (MaintenanceScheduled w : m.windows.values()) {
            if (!now.isBefore(w.start()) && now.isBefore(w.end())) {
                return w;
            }
        }
        return null;
    }

    private static boolean live(Instance i) {
        return i.status != InstanceStatus.TERMINATING && i.status != InstanceStatus.TERMINATED
                && i.status != InstanceStatus.RENTAL_ERROR;
    }

    /**
     * The host extended the listing: every live contract ending earlier now ends at the new date,
     * except reserved ones, whose term was prepaid and ends as agreed.
     */
    private static List<Event> extend(MachineRentals m, ContractsExtended x, Instant now) {
        var d = new Decision(m.machineId, m.version, now, x.meta().requestId());
        for (Instance i : m.instances.values()) {
            if (live(i) && !i.contract.gpuPrepaid() && i.contract.endDate().isBefore(x.endDate())) {
                d.add(new ContractExtended(d.next(), i.id, x.endDate()));
                if (i.status == InstanceStatus.EXPIRED && x.endDate().isAfter(now)) {
                    closeUsage(d, m, i, now);
                    d.add(new InstanceStatusChanged(d.next(), i.id, i.accountId, InstanceStatus.STOPPED,
                            "the host extended the contract to " + x.endDate() + "; it can be started again"));
                }
            }
        }
        return d.events();
    }

    private static List<Event> end(Decision d, Instance i, InstanceStatus status, String reason) {
        d.add(new InstanceStatusChanged(d.next(), i.id, i.accountId, status, reason));
        if (!i.gpus.isEmpty()) {
            d.add(new GpusReleased(d.next(), i.id, i.gpus));
        }
        return d.add(new InstanceReleased(d.notify(i.accountId), i.id, status.wire())).events();
    }

    /** Closes the instance's open usage interval at {@code now}, unless the machine is offline (nothing is metered then). */
    static void closeUsage(Decision d, MachineRentals m, Instance i, Instant now) {
        if (m.online) {
            record(d, i, now);
        }
    }

    private static void record(Decision d, Instance i, Instant now) {
        if (i.meteredUntil == null || !i.charged() || !now.isAfter(i.meteredUntil)) {
            return;
        }
        long seconds = Duration.between(i.meteredUntil, now).toSeconds();
        long online = i.status.gpuCharged() ? seconds : 0;
        long storage = i.status.storageCharged() ? seconds : 0;
        long traffic = Math.max(0, i.meterTraffic() - i.trafficBytesTotal);
        d.add(new UsageRecorded(d.next(), i.id, i.accountId, i.hostAccountId, i.meteredUntil, now, i.contract, online,
                storage, traffic, i.onlineSecondsTotal + online, i.storageSecondsTotal + storage,
                i.trafficBytesTotal + traffic, i.meter));
    }

    public static void evolve(MachineRentals m, Event e) {
        if (e instanceof MachineRegistered r) {
            m.gpuCount = r.spec().gpuCount();
            m.diskGb = r.spec().diskGb();
        } else if (e instanceof MachineCameOnline c) {
            boolean wasOffline = !m.online;
            m.online = true;
            Instant back = c.meta().occurredAt().truncatedTo(ChronoUnit.SECONDS);
            for (Instance i : m.instances.values()) {
                if (wasOffline && i.meteredUntil != null && i.meteredUntil.isBefore(back)) {
                    i.meteredUntil = back; // the dead time is not metered
                }
            }
        } else if (e instanceof MachineWentOffline) {
            m.online = false;
        } else if (e instanceof MaintenanceModeChanged mm) {
            m.maintenance = mm.enabled();
        } else if (e instanceof MaintenanceScheduled w) {
            m.windows.put(w.windowId(), w);
        } else if (e instanceof GpuFaultReported f) {
            m.faulty.add(f.gpuIndex());
        } else if (e instanceof GpuFaultCleared f) {
            m.faulty.remove(f.gpuIndex());
        } else if (e instanceof ListingPublished p) {
            m.listing = p.terms();
        } else if (e instanceof ListingWithdrawn) {
            m.listing = null;
        } else if (e instanceof PlacementRequested p) {
            m.asked.put(p.instanceId(), p);
        } else if (e instanceof HeartbeatReceived h) {
            for (ContainerTraffic t : h.traffic()) {
                Instance i = m.instances.get(t.instanceId());
                if (i != null) {
                    i.trafficReading(Math.addExact(t.rxBytes(), t.txBytes()));
                }
            }
        } else {
            evolveOwn(m, e);
        }
    }

    private static void evolveOwn(MachineRentals m, Event e) {
        if (e.meta().seq() > 0 && e.aggregateId().equals(m.machineId)) {
            m.version = Math.max(m.version, e.meta().seq());
        }
        if (e instanceof GpusAllocated a) {
            Instance i = accepted(m, a.instanceId(), a.meta().seq());
            if (i != null) {
                i.gpus = List.copyOf(a.gpuIndexes());
            }
        } else if (e instanceof PlacementAccepted a) {
            Instance i = accepted(m, a.instanceId(), a.meta().seq());
            if (i != null) {
                i.parkedGpus = List.copyOf(a.claimedGpus());
            }
        } else if (e instanceof SshKeysChanged k) {
            Instance i = m.instances.get(k.instanceId());
            if (i != null) {
                i.container = i.container.withSshPublicKeys(k.sshPublicKeys());
            }
        } else if (e instanceof BidChanged b) {
            Instance i = m.instances.get(b.instanceId());
            if (i != null && b.meter() > i.meter) {
                i.contract = i.contract.withGpuPrice(b.bidPerHourMicros());
                i.meter = b.meter();
                i.meterTrafficBase = b.trafficBaseBytes();
                i.onlineSecondsTotal = 0;
                i.storageSecondsTotal = 0;
                i.trafficBytesTotal = 0;
            }
        } else if (e instanceof PlacementRefused r) {
            m.asked.remove(r.instanceId());
        } else if (e instanceof ContractExtended x) {
            Instance i = m.instances.get(x.instanceId());
            if (i != null) {
                i.contract = i.contract.withEndDate(x.endDate());
            }
        } else if (e instanceof WorkIssued w) {
            Instance i = m.instances.get(w.instanceId());
            if (i != null) {
                i.lastWorkId = w.workId();
                i.lastWorkAction = w.action();
            }
        } else if (e instanceof InstanceStatusChanged s) {
            Instance i = m.instances.get(s.instanceId());
            if (i != null) {
                i.status = s.status();
                if (i.gpus.isEmpty() && (s.status() == InstanceStatus.TERMINATED
                        || s.status() == InstanceStatus.RENTAL_ERROR)) {
                    m.instances.remove(i.id);
                } else if (!i.charged()) {
                    i.meteredUntil = null;
                } else if (i.meteredUntil == null) {
                    i.meteredUntil = s.meta().occurredAt();
                }
            }
        } else if (e instanceof MeteringPaused p) {
            Instance i = m.instances.get(p.instanceId());
            if (i != null) {
                i.meteringPaused = true;
                i.meteredUntil = null;
            }
        } else if (e instanceof MeteringResumed r) {
            Instance i = m.instances.get(r.instanceId());
            if (i != null) {
                i.meteringPaused = false;
                i.meteredUntil = i.charged() ? r.meta().occurredAt() : null;
            }
        } else if (e instanceof UsageRecorded u) {
            Instance i = m.instances.get(u.instanceId());
            if (i != null) {
                i.meteredUntil = u.end();
                if (u.meter() == i.meter) {
                    i.onlineSecondsTotal = u.onlineSecondsTotal();
                    i.storageSecondsTotal = u.storageSecondsTotal();
                    i.trafficBytesTotal = u.trafficBytesTotal();
                    i.trafficSeen = Math.max(i.trafficSeen, i.meterTrafficBase + u.trafficBytesTotal());
                }
            }
        } else if (e instanceof GpusReleased r) {
            Instance i = m.instances.get(r.instanceId());
            if (i != null) {
                if (!r.gpuIndexes().isEmpty()) {
                    i.parkedGpus = List.copyOf(r.gpuIndexes());
                }
                i.gpus = List.of();
                if (!i.status.holdsResources() && !i.status.storageCharged()) {
                    m.instances.remove(i.id);
                }
            }
        }
    }

    /** The instance a placement created, made from the request the first time it is named. */
    private static Instance accepted(MachineRentals m, String instanceId, long seq) {
        PlacementRequested p = m.asked.remove(instanceId);
        if (p != null) {
            Instance i = new Instance(p.instanceId(), p.accountId(), p.hostAccountId(), p.contract(), p.container());
            i.placedSeq = seq;
            m.instances.put(i.id, i);
            return i;
        }
        return m.instances.get(instanceId);
    }
}
