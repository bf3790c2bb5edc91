package io.gpumarket.rental.domain;

import io.gpumarket.events.machine.MachineEvent.MaintenanceScheduled;
import io.gpumarket.events.offer.ListingTerms;
import io.gpumarket.events.rental.RentalEvent.PlacementRequested;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One machine's side of renting: its GPUs (and which are faulty), whether it is online and
 * listed, its announced maintenance windows, the placements asked of it, and the instances on it.
 */
public final class MachineRentals {
    final String machineId;
    long version;
    int gpuCount;
    boolean online;
    boolean maintenance;
    ListingTerms listing;
    final java.util.Set<Integer> faulty = new java.util.TreeSet<>();
    final Map<String, MaintenanceScheduled> windows = new LinkedHashMap<>();
    final Map<String, PlacementRequested> asked = new HashMap<>();
    final Map<String, Instance> instances = new LinkedHashMap<>();

    public MachineRentals(String machineId) {
        this.machineId = machineId;
    }

    BitSet freeGpus() {
        BitSet free = new BitSet();
        free.set(0, gpuCount);
        instances.values().forEach(i -> i.gpus.forEach(free::clear));
        faulty.forEach(free::clear);
        return free;
    }
}
