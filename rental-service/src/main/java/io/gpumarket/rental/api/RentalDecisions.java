package io.gpumarket.rental.api;

import io.gpumarket.events.Event;
import io.gpumarket.events.Topics;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalEvent.PlacementAccepted;
import io.gpumarket.events.rental.RentalEvent.PlacementRefused;
import io.gpumarket.events.rental.RentalEvent.RentalRejected;
import io.gpumarket.kit.kafka.Partitions;
import io.gpumarket.kit.projection.Projections;
import io.gpumarket.rental.projection.InstanceIds;
import io.gpumarket.rental.projection.InstanceRow;
import io.gpumarket.rental.projection.InstancesProjection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Hands the requests waiting for a rental's decision that decision as soon as this replica's
 * {@code rental-instances} projection has committed it (placed or refused), so the request needs no
 * database read. A decision projected by another replica is found by the waiter's own occasional
 * look at the database; {@link #handedHere} tells whether that can happen.
 */
@ApplicationScoped
public class RentalDecisions {
    private final Map<String, CompletableFuture<Decision>> waiting = new ConcurrentHashMap<>();
    private final Projections projections;

    public RentalDecisions(Projections projections) {
        this.projections = projections;
    }

    /** A rental's decision: placed, or refused with the reason's code and detail. */
    public record Decision(String refusal, String detail) {
        static final Decision PLACED = new Decision(null, null);

        /** The decision an event of the rental-instances projection carries, or null. */
        static Decision of(Event e) {
            if (e instanceof GpusAllocated || e instanceof PlacementAccepted) {
                return PLACED;
            } else if (e instanceof RentalRejected r) {
                return new Decision(r.reason().wire(), r.detail());
            } else if (e instanceof PlacementRefused r) {
                return new Decision(r.reason().wire(), r.detail());
            }
            return null;
        }

        /** The decision a projected row shows, or null while it shows none. */
        static Decision of(InstanceRow row) {
            if (row == null) {
                return null;
            }
            return row.refusal != null ? new Decision(row.refusal, row.refusalReason) : row.placed ? PLACED : null;
        }
    }

    /** Registers a wait for an instance's decision; call before publishing the request. */
    public CompletableFuture<Decision> expect(String instanceId) {
        return waiting.computeIfAbsent(instanceId, id -> new CompletableFuture<>());
    }

    /** Waits up to {@code timeout} for the decision; null if none was handed over in that time. */
    public Decision await(CompletableFuture<Decision> decision, Duration timeout) {
        try {
            return decision.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Whether this replica projects every partition a rental's decision can come from (the
     * account's, for a rejection; the machine's, for a placement or its refusal), so the decision
     * will be handed over here.
     */
    public boolean handedHere(String accountId, String machineId) {
        return projections.assignedHere(InstancesProjection.NAME, Topics.RENTALS.name(), Partitions.of(accountId))
                && projections.assignedHere(InstancesProjection.NAME, Topics.RENTALS.name(), Partitions.of(machineId));
    }

    public void forget(String instanceId) {
        waiting.remove(instanceId);
    }

    /** Called with the events of each committed projection batch. */
    public void committed(List<Event> events) {
        if (waiting.isEmpty()) {
            return;
        }
        for (Event e : events) {
            Decision decided = Decision.of(e);
            if (decided != null) {
                CompletableFuture<Decision> f = waiting.remove(InstanceIds.of(e));
                if (f != null) {
                    f.complete(decided);
                }
            }
        }
    }
}
