package io.gpumarket.rental.api;

import io.gpumarket.events.Event;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalEvent.PlacementAccepted;
import io.gpumarket.events.rental.RentalEvent.PlacementRefused;
import io.gpumarket.events.rental.RentalEvent.RentalRejected;
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
 * Wakes the requests waiting for a rental's decision as soon as this replica's
 * {@code rental-instances} projection has committed it (placed or refused), instead of each one
 * polling the database. A decision projected by another replica is found by the waiter's own
 * occasional look at the database.
 */
@ApplicationScoped
public class RentalDecisions {
    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    /** Registers a wait for an instance's decision; call before publishing the request. */
    public CompletableFuture<Void> expect(String instanceId) {
        return waiting.computeIfAbsent(instanceId, id -> new CompletableFuture<>());
    }

    /** Waits up to {@code timeout} for the decision; true if it was signalled. */
    public boolean await(CompletableFuture<Void> decision, Duration timeout) {
        try {
            decision.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
            String decided = e instanceof GpusAllocated a ? a.instanceId() : e instanceof PlacementAccepted a
                    ? a.instanceId() : e instanceof RentalRejected r ? r.instanceId() : e instanceof PlacementRefused r
                    ? r.instanceId() : null;
            if (decided != null) {
                CompletableFuture<Void> f = waiting.remove(decided);
                if (f != null) {
                    f.complete(null);
                }
            }
        }
    }
}
