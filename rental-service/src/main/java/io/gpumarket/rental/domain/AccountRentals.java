package io.gpumarket.rental.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One account's side of renting: its balance as the ledger says, and the instances that hold
 * resources with the hourly cost each must be covered for.
 */
public final class AccountRentals {
    final String accountId;
    long version;
    long balanceMicros;
    final Map<String, Long> holding = new LinkedHashMap<>();

    public AccountRentals(String accountId) {
        this.accountId = accountId;
    }
}
