package io.gpumarket.rental.domain;

import io.gpumarket.events.Event;
import io.gpumarket.events.account.AccountEvent;
import io.gpumarket.events.account.AccountEvent.AccountReactivated;
import io.gpumarket.events.account.AccountEvent.AccountSuspended;
import io.gpumarket.events.account.AccountEvent.SuspensionGraceExpired;
import io.gpumarket.events.ledger.LedgerEvent;
import io.gpumarket.events.ledger.LedgerEvent.ReservationCharged;
import io.gpumarket.events.money.Money;
import io.gpumarket.events.rental.RejectionReason;
import io.gpumarket.events.rental.RentalEvent.InstanceReleased;
import io.gpumarket.events.rental.RentalEvent.OwnerReactivated;
import io.gpumarket.events.rental.RentalEvent.OwnerSuspended;
import io.gpumarket.events.rental.RentalEvent.TerminationRequested;
import io.gpumarket.events.status.InstanceStatus;
import io.gpumarket.events.rental.RentalEvent.PlacementRequested;
import io.gpumarket.events.rental.RentalEvent.RentalApproved;
import io.gpumarket.events.rental.RentalEvent.RentalRejected;
import io.gpumarket.events.rental.RentalEvent.RentalRequested;
import java.time.Instant;
import java.util.List;

/**
 * Admission, decided per account one request at a time: an account may hold at most
 * {@value #MAX_INSTANCES} instances in statuses that hold resources, and its balance must cover
 * one hour of all of them plus the new one (and a reserved one's prepaid term, held back from the
 * balance until billing books it). An approval asks the machine for GPUs
 * ({@code PlacementRequested}); the machine answers with {@code InstanceReleased} when an instance
 * stops holding resources, which frees its slot and its cover. A suspended account rents nothing;
 * billing's suspension, reactivation and expired grace are passed on to the machines of the
 * account's instances ({@code OwnerSuspended}, {@code OwnerReactivated}, {@code TerminationRequested}).
 */
public final class AccountDecider {
    public static final int MAX_INSTANCES = 5;

    private AccountDecider() {}

    public static List<Event> decide(AccountRentals s, RentalRequested r, Instant now) {
        if (s.holding.containsKey(r.instanceId())) {
            return List.of();
        }
        var d = new Decision(s.accountId, s.version, now, r.meta().requestId());
        long cost = Costs.hourlyMicros(r.contract());
        long prepaid = Costs.prepaidMicros(r.contract());
        long cover = s.holding.values().stream().mapToLong(Long::longValue).sum() + cost + prepaid;
        if (s.suspended) {
            return d.add(new RentalRejected(d.next(), r.instanceId(), RejectionReason.INSUFFICIENT_BALANCE,
                    "the account is suspended: its balance reached zero; a deposit reactivates it")).events();
        }
        if (s.holding.size() >= MAX_INSTANCES) {
            return d.add(new RentalRejected(d.next(), r.instanceId(), RejectionReason.INSTANCE_LIMIT,
                    MAX_INSTANCES + " instances already hold resources (creating, online, stopped, scheduling or outbid)"))
                    .events();
        }
        if (s.available() < cover) {
            return d.add(new RentalRejected(d.next(), r.instanceId(), RejectionReason.INSUFFICIENT_BALANCE,
                    "the balance of " + Money.format(s.available()) + " does not cover one hour of every instance"
                            + " holding resources plus this one" + (prepaid > 0 ? " and its prepaid term" : "") + ": "
                            + Money.format(cover))).events();
        }
        d.add(new RentalApproved(d.next(), r.instanceId(), r.machineId(), cost, prepaid));
        return d.add(new PlacementRequested(d.notify(r.machineId()), r.instanceId(), r.accountId(), r.hostAccountId(),
                r.label(), r.contract(), r.container())).events();
    }

    /** Billing changed the account's standing: every instance's machine is told what follows from it. */
    public static List<Event> decide(AccountRentals s, AccountEvent standing, Instant now) {
        var d = new Decision(s.accountId, s.version, now, standing.meta().requestId()).causedBy(standing);
        s.machineOf.forEach((instance, machine) -> {
            if (standing instanceof AccountSuspended) {
                d.add(new OwnerSuspended(d.notify(machine), instance, s.accountId));
            } else if (standing instanceof AccountReactivated) {
                d.add(new OwnerReactivated(d.notify(machine), instance, s.accountId));
            } else if (standing instanceof SuspensionGraceExpired) {
                d.add(new TerminationRequested(d.notify(machine), instance, s.accountId,
                        "the account stayed suspended past its grace period"));
            }
        });
        return d.events();
    }

    public static void evolve(AccountRentals s, Event e) {
        if (e instanceof AccountSuspended) {
            s.suspended = true;
        } else if (e instanceof AccountReactivated) {
            s.suspended = false;
        } else if (e instanceof RentalApproved a) {
            s.holding.put(a.instanceId(), a.hourlyCostMicros());
            s.machineOf.put(a.instanceId(), a.machineId());
            if (a.prepaidMicros() > 0) {
                s.prepaidPending.put(a.instanceId(), a.prepaidMicros());
            }
            s.version = a.meta().seq();
        } else if (e instanceof RentalRejected r) {
            s.version = r.meta().seq();
        } else if (e instanceof InstanceReleased r) {
            s.holding.remove(r.instanceId());
            s.prepaidPending.remove(r.instanceId());
            if (!InstanceStatus.EXPIRED.wire().equals(r.finalStatus())) {
                // an expired instance keeps its disk, and its charges follow the account's standing
                s.machineOf.remove(r.instanceId());
            }
        } else if (e instanceof LedgerEvent l) {
            s.balanceMicros = Math.addExact(s.balanceMicros, l.amountMicros());
            if (l instanceof ReservationCharged c) {
                s.prepaidBooked.add(c.instanceId());
                s.prepaidPending.remove(c.instanceId());
            }
        }
    }
}
