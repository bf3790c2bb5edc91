package io.gpumarket.rental.domain;

import io.gpumarket.events.Event;
import io.gpumarket.events.money.Money;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalEvent.WorkIssued;
import io.gpumarket.events.rental.WorkAction;
import io.gpumarket.events.status.InstanceStatus;
import io.gpumarket.events.status.StatusEvent.InstanceStatusChanged;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * Who may use a machine's GPUs, settled after every change. Fixed rentals (on-demand and
 * reserved) come first: one waiting for GPUs (accepted with a claim, or started in
 * {@code scheduling}) starts as soon as all of them are free. Interruptibles share what fixed
 * rentals neither hold nor wait for: by bid, highest first (equal bids: the earlier placement),
 * each that fits runs; the others are {@code outbid}: their containers are stopped and their GPUs
 * freed on the agent's report, and they start again, on whichever GPUs are free, when their bid
 * fits. A GPU goes to an instance only once the agent has reported the previous holder stopped, so
 * no GPU is ever held by two instances. Nothing moves while the machine cannot run.
 */
final class GpuAssignment {
    private static final Comparator<Instance> BY_BID = Comparator.comparingLong(Instance::bid).reversed()
            .thenComparingLong(i -> i.placedSeq).thenComparing(i -> i.id);

    private GpuAssignment() {}

    static List<Event> settle(MachineRentals m, Instant now) {
        if (m.gpuCount == 0 || MachineDecider.canRun(m, now) != null) {
            return List.of();
        }
        var d = new Decision(m.machineId, m.version, now, null);
        BitSet taken = new BitSet();
        m.instances.values().forEach(i -> i.gpus.forEach(taken::set));
        m.faulty.forEach(taken::set);
        for (Instance i : m.instances.values()) {
            if (MachineRentals.waitsForGpus(i) && !i.parkedGpus.isEmpty() && i.parkedGpus.stream().noneMatch(taken::get)) {
                i.parkedGpus.forEach(taken::set);
                MachineDecider.startOn(d, i, i.parkedGpus);
            }
        }
        BitSet open = m.notFixedGpus();
        int capacity = open.cardinality();
        int fixedCapacity = capacity;
        for (Instance b : m.instances.values().stream().filter(GpuAssignment::bidding).sorted(BY_BID).toList()) {
            int n = b.contract.numGpus();
            boolean fits = n <= capacity;
            boolean displaced = b.gpus.stream().anyMatch(g -> !open.get(g));
            if (fits) {
                capacity -= n;
            }
            if (fits && !displaced) {
                if (b.gpus.isEmpty()) {
                    BitSet free = (BitSet) open.clone();
                    free.andNot(taken);
                    if (free.cardinality() >= n) {
                        List<Integer> gpus = lowest(free, n);
                        gpus.forEach(taken::set);
                        MachineDecider.startOn(d, b, gpus);
                    }
                }
                continue;
            }
            if (b.status != InstanceStatus.OUTBID) {
                MachineDecider.closeUsage(d, m, b, now);
                d.add(new InstanceStatusChanged(d.next(), b.id, b.accountId, InstanceStatus.OUTBID,
                        displaced || n > fixedCapacity ? "preempted by an on-demand rental; it starts again when GPUs"
                                + " are free" : "outbid: higher bids than " + Money.format(b.bid())
                                + " per GPU-hour hold the GPUs; it starts again when its bid is among the highest"));
            }
            if (!b.gpus.isEmpty() && b.lastWorkAction != WorkAction.STOP) {
                d.add(new WorkIssued(d.next(), d.derivedId("work"), b.id, WorkAction.STOP, b.gpus, b.contract.diskGb(),
                        b.container));
            }
        }
        return d.events();
    }

    /**
     * An interruptible that wants GPUs: placed, running, outbid or started by its owner, unless its
     * owner is stopping it, it is ending, or its owner is suspended.
     */
    private static boolean bidding(Instance i) {
        if (!i.interruptible() || i.meteringPaused || i.lastWorkAction == WorkAction.TERMINATE) {
            return false;
        }
        return i.status == InstanceStatus.CREATING || i.status == InstanceStatus.OUTBID
                || i.status == InstanceStatus.SCHEDULING
                || (i.status == InstanceStatus.ONLINE && i.lastWorkAction != WorkAction.STOP);
    }

    /**
     * The GPUs a fixed rental claims when too few are free: the free ones, then those of the
     * interruptibles with the lowest bids (the latest placed first on equal bids).
     */
    static List<Integer> claim(MachineRentals m, BitSet free, int n) {
        List<Integer> claimed = lowest(free, Math.min(n, free.cardinality()));
        BitSet open = m.notFixedGpus();
        List<Instance> lowestFirst = new ArrayList<>(m.instances.values().stream()
                .filter(i -> i.interruptible() && !i.gpus.isEmpty()).sorted(BY_BID).toList());
        java.util.Collections.reverse(lowestFirst);
        for (Instance i : lowestFirst) {
            for (int g : i.gpus) {
                if (claimed.size() < n && open.get(g) && !claimed.contains(g)) {
                    claimed.add(g);
                }
            }
        }
        claimed.sort(null);
        return claimed;
    }

    /** The {@code n} lowest-numbered GPUs of {@code gpus}. */
    static List<Integer> lowest(BitSet gpus, int n) {
        List<Integer> out = new ArrayList<>(n);
        for (int g = gpus.nextSetBit(0); g >= 0 && out.size() < n; g = gpus.nextSetBit(g + 1)) {
            out.add(g);
        }
        return out;
    }
}
