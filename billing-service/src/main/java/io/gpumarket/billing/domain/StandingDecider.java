package io.gpumarket.billing.domain;

import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.account.AccountEvent.AccountOpened;
import io.gpumarket.events.account.AccountEvent.AccountReactivated;
import io.gpumarket.events.account.AccountEvent.AccountSuspended;
import io.gpumarket.events.account.AccountEvent.LowBalanceWarned;
import io.gpumarket.events.account.AccountEvent.SuspensionGraceExpired;
import io.gpumarket.events.account.Role;
import io.gpumarket.events.ledger.LedgerEvent;
import io.gpumarket.events.ledger.LedgerEvent.FundsDeposited;
import io.gpumarket.events.ledger.LedgerEvent.ReservationCharged;
import io.gpumarket.events.ledger.LedgerEvent.ReservationRefunded;
import io.gpumarket.events.ledger.LedgerEvent.UsageCharged;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A client account's standing, decided one ledger entry at a time (seed 000): a charge that leaves
 * the balance below one hour of the account's burn warns once; a charge that brings it to zero or
 * below suspends the account (rental-service then stops its instances and meters nothing); a
 * deposit that brings a suspended balance above zero reactivates it and clears the warning; a
 * suspension that lasts the whole grace period expires (rental-service terminates the instances).
 * Hosts and the platform are never suspended. Times come from the entries and the caller; the
 * outputs' ids derive from their cause, so deciding the same input again yields the same events.
 */
public final class StandingDecider {
    private StandingDecider() {}

    public static void evolve(AccountStanding s, Event e) {
        if (e instanceof AccountOpened o) {
            s.role = o.role();
        } else if (e instanceof LedgerEvent l) {
            s.balanceMicros = Math.addExact(s.balanceMicros, l.amountMicros());
            if (l instanceof UsageCharged c) {
                s.forgetBurnsBefore(c.end());
                s.burns.put(c.instanceId(), new AccountStanding.Burn(c.ratePerHourMicros(), c.end()));
            } else if (l instanceof FundsDeposited d && s.warnedAt != null
                    && !d.meta().occurredAt().isBefore(s.warnedAt)
                    && s.balanceMicros >= s.burnPerHourMicros(d.meta().occurredAt())) {
                // compared by time: on recovery the warnings are folded before the ledger
                s.warnedAt = null;
            }
        } else if (e instanceof LowBalanceWarned w) {
            s.warnedAt = w.meta().occurredAt();
        } else if (e instanceof AccountSuspended x) {
            s.suspended = true;
            s.suspendedAt = x.meta().occurredAt();
            s.graceExpired = false;
        } else if (e instanceof AccountReactivated) {
            s.suspended = false;
            s.suspendedAt = null;
            s.warnedAt = null;
        } else if (e instanceof SuspensionGraceExpired) {
            s.graceExpired = true;
        }
    }

    /** What an entry already folded into {@code s} changes in the account's standing. */
    public static List<Event> decide(AccountStanding s, LedgerEvent entry) {
        if (s.role != Role.CLIENT) {
            return List.of();
        }
        Instant at = entry.meta().occurredAt();
        String account = entry.aggregateId();
        List<Event> out = new ArrayList<>();
        if ((entry instanceof UsageCharged || entry instanceof ReservationCharged) && !s.suspended) {
            long burn = s.burnPerHourMicros(at);
            if (s.balanceMicros <= 0) {
                out.add(new AccountSuspended(meta(account, entry, "suspended", at), s.balanceMicros));
            } else if (s.warnedAt == null && s.balanceMicros < burn) {
                out.add(new LowBalanceWarned(meta(account, entry, "low-balance", at), s.balanceMicros, burn));
            }
        } else if ((entry instanceof FundsDeposited || entry instanceof ReservationRefunded) && s.suspended
                && s.balanceMicros > 0) {
            out.add(new AccountReactivated(meta(account, entry, "reactivated", at), s.balanceMicros));
        }
        return out;
    }

    /** A suspension older than {@code grace} at {@code now} expires, once. */
    public static List<Event> tick(AccountStanding s, String account, Instant now, Duration grace) {
        if (!s.suspended || s.graceExpired || now.isBefore(s.suspendedAt.plus(grace))) {
            return List.of();
        }
        UUID id = UUID.nameUUIDFromBytes(("grace:" + account + ":" + s.suspendedAt).getBytes(StandardCharsets.UTF_8));
        return List.of(new SuspensionGraceExpired(new EventMeta(id, account, 0, now, null), s.suspendedAt));
    }

    private static EventMeta meta(String account, LedgerEvent cause, String kind, Instant at) {
        UUID id = UUID.nameUUIDFromBytes((cause.entryId() + ":" + kind).getBytes(StandardCharsets.UTF_8));
        return new EventMeta(id, account, 0, at, cause.meta().requestId());
    }
}
