package io.gpumarket.offer.domain;

import io.gpumarket.events.Event;
import io.gpumarket.events.machine.CheckResult;
import io.gpumarket.events.machine.MachineEvent.GpuFaultCleared;
import io.gpumarket.events.machine.MachineEvent.GpuFaultReported;
import io.gpumarket.events.machine.MachineEvent.MachineCameOnline;
import io.gpumarket.events.machine.MachineEvent.MachineRegistered;
import io.gpumarket.events.machine.MachineEvent.MachineWentOffline;
import io.gpumarket.events.machine.MachineEvent.MaintenanceModeChanged;
import io.gpumarket.events.machine.MachineEvent.MaintenanceScheduled;
import io.gpumarket.events.machine.MachineEvent.PerformanceScored;
import io.gpumarket.events.machine.MachineEvent.ReliabilityScored;
import io.gpumarket.events.machine.MachineEvent.VerificationChanged;
import io.gpumarket.events.machine.MachineEvent.SoftwareReported;
import io.gpumarket.events.offer.ListingTerms;
import io.gpumarket.events.offer.OfferEvent.ListingPublished;
import io.gpumarket.events.offer.OfferEvent.ListingWithdrawn;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalEvent.GpusReleased;
import io.gpumarket.events.rental.RentalType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The market as the log tells it: machines and their health (from {@code gpumarket.machines}),
 * listings ({@code gpumarket.offers}) and the GPUs instances hold ({@code gpumarket.rentals}).
 * Events are applied by one thread; after each, the machine's {@link MarketMachine} snapshot is
 * replaced, and searches on other threads read snapshots only. Each topic keeps parts of its own,
 * so any interleaving of the topics gives the same market, and a release seen before its
 * allocation still cancels it. Reliability, DLPerf and verification are node-service's scores as
 * published (a machine not yet scored ranks at {@link #PRIOR_RELIABILITY_PPM}); a faulty GPU is
 * offered to no one; announced maintenance windows travel with the snapshot for searches to
 * compare with their time.
 */
public final class Market {
    /** The reliability a machine without history is ranked with: 0.9. */
    public static final long PRIOR_RELIABILITY_PPM = 900_000;

    private record Hold(List<Integer> gpus, boolean interruptible) {}

    private static final class Parts {
        MachineRegistered registration;
        boolean online;
        boolean maintenance;
        String driverVersion;
        String cudaVersion;
        ListingTerms listing;
        boolean listed;
        long reliabilityPpm = PRIOR_RELIABILITY_PPM;
        Long dlperfPerGpuCenti;
        String verification = "unverified";
        final Set<Integer> faulty = new java.util.TreeSet<>();
        final List<MarketMachine.Window> windows = new java.util.ArrayList<>();
        final Map<String, Hold> holds = new HashMap<>();
    }

    private final Map<String, Parts> parts = new HashMap<>();
    private final Map<String, MarketMachine> machines = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Map<String, MarketMachine>> byModel = new java.util.concurrent.ConcurrentHashMap<>();
    /** Every machine in a slot of its own, for searches to scan as an array: grown by copying, then size raised. */
    private final Map<String, Integer> slotOf = new HashMap<>();
    private volatile MarketMachine[] slots = new MarketMachine[1024];
    private volatile int size;

    public void apply(Event event) {
        Parts p = parts.computeIfAbsent(event.aggregateId(), id -> new Parts());
        if (event instanceof MachineRegistered r) {
            if (p.registration == null) {
                p.registration = r;
            }
        } else if (event instanceof MachineCameOnline) {
            p.online = true;
        } else if (event instanceof MachineWentOffline) {
            p.online = false;
        } else if (event instanceof MaintenanceModeChanged mm) {
            p.maintenance = mm.enabled();
        } else if (event instanceof ReliabilityScored r) {
            p.reliabilityPpm = r.reliabilityPpm();
        } else if (event instanceof PerformanceScored ps) {
            if (ps.withinRange()) {
                p.dlperfPerGpuCenti = ps.dlperfPerGpuCenti();
            }
        } else if (event instanceof VerificationChanged v) {
            p.verification = v.stage().wire();
        } else if (event instanceof GpuFaultReported f) {
            p.faulty.add(f.gpuIndex());
        } else if (event instanceof GpuFaultCleared f) {
            p.faulty.remove(f.gpuIndex());
        } else if (event instanceof MaintenanceScheduled w) {
            var window = new MarketMachine.Window(w.start().getEpochSecond(), w.end().getEpochSecond());
            if (!p.windows.contains(window)) {
                p.windows.add(window);
                p.windows.sort(java.util.Comparator.comparingLong(MarketMachine.Window::startEpochSecond));
            }
        } else if (event instanceof SoftwareReported s) {
            p.driverVersion = s.driverVersion();
            p.cudaVersion = s.cudaVersion();
        } else if (event instanceof ListingPublished l) {
            p.listing = l.terms();
            p.listed = true;
        } else if (event instanceof ListingWithdrawn) {
            p.listed = false;
        } else if (event instanceof GpusAllocated a) {
            // allocations and releases of a machine are in order on its partition; an instance
            // started again (after a stop, or outbid) is allocated again
            p.holds.put(a.instanceId(), new Hold(List.copyOf(a.gpuIndexes()), a.rentalType() == RentalType.INTERRUPTIBLE));
        } else if (event instanceof GpusReleased r) {
            p.holds.remove(r.instanceId());
        } else {
            return;
        }
        refresh(event.aggregateId(), p);
    }

    private void refresh(String id, Parts p) {
        if (p.registration == null) {
            return;
        }
        var s = p.registration.spec();
        java.util.BitSet usable = new java.util.BitSet();
        usable.set(0, s.gpuCount());
        p.faulty.forEach(usable::clear);
        java.util.BitSet preemptibleSet = new java.util.BitSet();
        for (Hold h : p.holds.values()) {
            for (int g : h.gpus()) {
                if (!h.interruptible()) {
                    usable.clear(g);
                } else if (usable.get(g)) {
                    preemptibleSet.set(g);
                }
            }
        }
        preemptibleSet.and(usable);
        int preemptible = preemptibleSet.cardinality();
        int free = usable.cardinality() - preemptible;
        MarketMachine snapshot = MarketMachine.of(id, p.registration.hostAccountId(), s.gpuModel(), s.gpuCount(),
                s.gpuRamGb(), s.cpuCores(), s.ramGb(), s.diskGb(), s.region(), s.inetUpMbps(), s.inetDownMbps(),
                p.registration.checks().stream().filter(c -> !c.ok()).map(CheckResult::name).toList(), p.online,
                p.maintenance, List.copyOf(p.windows), p.listing, p.listed && p.listing != null, free, preemptible,
                p.reliabilityPpm, p.dlperfPerGpuCenti, p.verification, p.driverVersion, p.cudaVersion);
        machines.put(id, snapshot);
        Integer slot = slotOf.get(id);
        if (slot == null) {
            slot = size;
            slotOf.put(id, slot);
            if (slot == slots.length) {
                slots = java.util.Arrays.copyOf(slots, slot * 2);
            }
            slots[slot] = snapshot;
            size = slot + 1;
        } else {
            MarketMachine[] current = slots;
            current[slot] = snapshot;
            slots = current;
        }
        byModel.computeIfAbsent(s.gpuModel().toLowerCase(java.util.Locale.ROOT),
                m -> new java.util.concurrent.ConcurrentHashMap<>()).put(id, snapshot);
    }

    public Optional<MarketMachine> machine(String id) {
        return Optional.ofNullable(machines.get(id));
    }


    /**
     * Every registered machine, on the market or not, as a view of the scan array (the size is read
     * first, so the array holds it); safe to iterate while events are applied.
     */
    public java.util.List<MarketMachine> machines() {
        int n = size;
        return java.util.Arrays.asList(slots).subList(0, n);
    }

    /** The machines with this GPU model (any case), for a search that asks for it. */
    public Collection<MarketMachine> withModel(String gpuModel) {
        var bucket = byModel.get(gpuModel.toLowerCase(java.util.Locale.ROOT));
        return bucket == null ? java.util.List.of() : bucket.values();
    }

    public void reset() {
        parts.clear();
        machines.clear();
        byModel.clear();
        slotOf.clear();
        slots = new MarketMachine[1024];
        size = 0;
    }

    /** SHA-256 over the machines in id order: equal markets, equal digests. */
    public String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(machines).values().forEach(m -> sha.update((m + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
