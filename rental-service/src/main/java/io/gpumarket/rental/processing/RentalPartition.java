package io.gpumarket.rental.processing;

import io.gpumarket.rental.domain.AccountRentals;
import io.gpumarket.rental.domain.MachineRentals;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.Map;

/** The aggregates whose keys land in one partition (accounts and machines), and which machines must settle. */
final class RentalPartition {
    final Map<String, AccountRentals> accounts = new HashMap<>();
    final Map<String, MachineRentals> machines = new HashMap<>();
    /** Machines an event touched since they last settled their GPUs. */
    final Set<String> unsettled = new LinkedHashSet<>();

    AccountRentals account(String id) {
        return accounts.computeIfAbsent(id, AccountRentals::new);
    }

    MachineRentals machine(String id) {
        return machines.computeIfAbsent(id, MachineRentals::new);
    }
}
