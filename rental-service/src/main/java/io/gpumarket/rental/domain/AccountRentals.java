package io.gpumarket.rental.domain;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.Map;

/**
 * One account's side of renting: its balance as the ledger says, whether billing has suspended
 * it, and the instances that hold resources with the hourly cost each must be covered for and the
 * machine each runs on, and reserved instances' prepayments until billing has booked them.
 */
public final class AccountRentals {
    final String accountId;
    long version;
    long balanceMicros;
    boolean suspended;
    final Map<String, Long> holding = new LinkedHashMap<>();
    final Map<String, String> machineOf = new LinkedHashMap<>();
    /** Reserved instances' prepayments approved here and not yet seen booked by billing. */
    final Map<String, Long> prepaidPending = new HashMap<>();
    /** Instances whose prepayment billing booked (kept, as the ledger may be read before the approval). */
    final Set<String> prepaidBooked = new HashSet<>();

    /** The balance less prepayments approved but not yet booked. */
    long available() {
        long pending = 0;
        for (var p : prepaidPending.entrySet()) {
            if (!prepaidBooked.contains(p.getKey())) {
                pending = Math.addExact(pending, p.getValue());
            }
        }
        return balanceMicros - pending;
    }

    public AccountRentals(String accountId) {
        this.accountId = accountId;
    }
}
