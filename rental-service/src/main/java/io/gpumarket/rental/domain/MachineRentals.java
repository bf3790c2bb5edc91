package io.gpumarket.rental.domain;

import io.gpumarket.events.machine.MachineEvent.MaintenanceScheduled;
import io.gpumarket.events.offer.ListingTerms;
import io.gpumarket.events.rental.WorkAction;
import io.gpumarket.events.status.InstanceStatus;
import io.gpumarket.events.rental.RentalEvent.PlacementRequested;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One machine's side of renting: its GPUs (and which are faulty), whether it is online and
 * listed, its announced maintenance windows, the placements asked of it, and the instances on it.
 */
public final class MachineRentals {
    final String machineId;
    long version;
    int gpuCount;
    int diskGb;
    boolean online;
    boolean maintenance;
    ListingTerms listing;
    final Set<Integer> faulty = new TreeSet<>();
    final Map<String, MaintenanceScheduled> windows = new LinkedHashMap<>();
    final Map<String, PlacementRequested> asked = new HashMap<>();
    final Map<String, Instance> instances = new LinkedHashMap<>();

    public MachineRentals(String machineId) {
        this.machineId = machineId;
    }

    /** Disk not reserved by an instance that keeps one (every instance until it is terminated or failed). */
    int freeDiskGb() {
        int used = 0;
        for (Instance i : instances.values()) {
            if (i.status != InstanceStatus.TERMINATED && i.status != InstanceStatus.RENTAL_ERROR) {
                used += i.contract.diskGb();
            }
        }
        return diskGb - used;
    }

    /** GPUs that work and no instance holds. */
    BitSet freeGpus() {
        BitSet free = new BitSet();
        free.set(0, gpuCount);
        instances.values().forEach(i -> i.gpus.forEach(free::clear));
        faulty.forEach(free::clear);
        return free;
    }

    /**
     * GPUs that work and that no fixed rental (on-demand or reserved) holds or waits for: free, or
     * held by interruptibles, which a fixed rental preempts.
     */
    BitSet notFixedGpus() {
        BitSet open = new BitSet();
        open.set(0, gpuCount);
        faulty.forEach(open::clear);
        for (Instance i : instances.values()) {
            if (!i.interruptible()) {
                i.gpus.forEach(open::clear);
                if (waitsForGpus(i)) {
                    i.parkedGpus.forEach(open::clear);
                }
            }
        }
        return open;
    }

    /** A fixed rental, accepted or started, that waits for its GPUs to be free. */
    static boolean waitsForGpus(Instance i) {
        return !i.interruptible() && i.gpus.isEmpty() && !i.meteringPaused && i.lastWorkAction != WorkAction.TERMINATE
                && (i.status == InstanceStatus.CREATING || i.status == InstanceStatus.SCHEDULING);
    }
}
