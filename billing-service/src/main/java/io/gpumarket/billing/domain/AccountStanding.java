package io.gpumarket.billing.domain;

import io.gpumarket.events.account.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One account's standing as the ledger and the account events make it: role, balance, whether it
 * is suspended (and since when), whether the low-balance warning is out, and its burn: what each
 * of its charged instances cost per hour in its latest interval, counted while that interval ended
 * less than {@link #BURN_WINDOW} before the time asked about.
 */
public final class AccountStanding {
    public static final Duration BURN_WINDOW = Duration.ofMinutes(1);

    Role role;
    long balanceMicros;
    boolean suspended;
    Instant suspendedAt;
    boolean graceExpired;
    /** When the low-balance warning went out; null while none is out. */
    Instant warnedAt;
    final Map<String, Burn> burns = new HashMap<>();

    record Burn(long perHourMicros, Instant until) {}

    public long balanceMicros() {
        return balanceMicros;
    }

    public boolean suspended() {
        return suspended;
    }

    /** The sum of the hourly costs of the instances charged within the burn window before {@code at}. */
    public long burnPerHourMicros(Instant at) {
        Instant from = at.minus(BURN_WINDOW);
        long sum = 0;
        for (Burn b : burns.values()) {
            if (b.until().isAfter(from)) {
                sum = Math.addExact(sum, b.perHourMicros());
            }
        }
        return sum;
    }

    void forgetBurnsBefore(Instant at) {
        Instant from = at.minus(BURN_WINDOW);
        burns.values().removeIf(b -> !b.until().isAfter(from));
    }
}
