package io.gpumarket.rental.domain;

import io.gpumarket.events.Event;
import io.gpumarket.events.ledger.LedgerEvent;
import io.gpumarket.events.money.Money;
import io.gpumarket.events.rental.RejectionReason;
import io.gpumarket.events.rental.RentalEvent.InstanceReleased;
import io.gpumarket.events.rental.RentalEvent.PlacementRequested;
import io.gpumarket.events.rental.RentalEvent.RentalApproved;
import io.gpumarket.events.rental.RentalEvent.RentalRejected;
import io.gpumarket.events.rental.RentalEvent.RentalRequested;
import java.time.Instant;
import java.util.List;

/**
 * Admission, decided per account one request at a time: an account may hold at most
 * {@value #MAX_INSTANCES} instances in statuses that hold resources, and its balance must cover
 * one hour of all of them plus the new one. An approval asks the machine for GPUs
 * ({@code PlacementRequested}); the machine answers with {@code InstanceReleased} when an instance
 * stops holding resources, which frees its slot and its cover.
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
        long cover = s.holding.values().stream().mapToLong(Long::longValue).sum() + cost;
        if (s.holding.size() >= MAX_INSTANCES) {
            return d.add(new RentalRejected(d.next(), r.instanceId(), RejectionReason.INSTANCE_LIMIT,
                    MAX_INSTANCES + " instances already hold resources (creating, online, stopped, scheduling or outbid)"))
                    .events();
        }
        if (s.balanceMicros < cover) {
            return d.add(new RentalRejected(d.next(), r.instanceId(), RejectionReason.INSUFFICIENT_BALANCE,
                    "the balance of " + Money.format(s.balanceMicros) + " does not cover one hour of every instance"
                            + " holding resources plus this one: " + Money.format(cover))).events();
        }
        d.add(new RentalApproved(d.next(), r.instanceId(), r.machineId(), cost));
        return d.add(new PlacementRequested(d.notify(r.machineId()), r.instanceId(), r.accountId(), r.hostAccountId(),
                r.label(), r.contract(), r.container())).events();
    }

    public static void evolve(AccountRentals s, Event e) {
        if (e instanceof RentalApproved a) {
            s.holding.put(a.instanceId(), a.hourlyCostMicros());
            s.version = a.meta().seq();
        } else if (e instanceof RentalRejected r) {
            s.version = r.meta().seq();
        } else if (e instanceof InstanceReleased r) {
            s.holding.remove(r.instanceId());
        } else if (e instanceof LedgerEvent l) {
            s.balanceMicros = Math.addExact(s.balanceMicros, l.amountMicros());
        }
    }
}
