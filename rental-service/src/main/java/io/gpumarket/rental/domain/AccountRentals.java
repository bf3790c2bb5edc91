package io.gpumarket.rental.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One account's side of renting: its balance as the ledger says, whether billing has suspended
 * it, and the instances that hold resources with the hourly cost each must be covered for and the
 * machine each runs on.
 */
public final class AccountRentals {
    final String accountId;
    long version;
    long balanceMicros;
    boolean suspended;
    final Map<String, Long> holding = new LinkedHashMap<>();
    final Map<String, String> machineOf = new LinkedHashMap<>();

    public AccountRentals(String accountId) {
        this.accountId = accountId;
    }
}
