package io.gpumarket.rental.api;

import io.gpumarket.rental.projection.InstanceRow;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code GET /api/v1/instances/{id}/status-stream}: Server-Sent Events, one {@code status} event
 * per status change ({@code id} = the change's sequence number, data {@code {id, status,
 * statusReason}}), the current status first; the stream ends after a final status
 * ({@code terminated}, {@code rental_error}). It follows the {@code rental-instances} projection
 * every {@code poll-interval}, and sends a comment when nothing changed for {@code keepalive}, so
 * proxies keep the connection open.
 */
@Path("/api/v1/instances/{id}/status-stream")
public class StatusStreamResource {
    private static final Set<String> FINAL = Set.of("terminated", "rental_error");

    private final OwnInstances instances;
    private final Duration pollInterval;
    private final Duration keepalive;

    public StatusStreamResource(OwnInstances instances,
            @ConfigProperty(name = "gpumarket.rental.status-stream.poll-interval") Duration pollInterval,
            @ConfigProperty(name = "gpumarket.rental.status-stream.keepalive") Duration keepalive) {
        this.instances = instances;
        this.pollInterval = pollInterval;
        this.keepalive = keepalive;
    }

    public record StatusView(String id, String status, String statusReason) {}

    private record Seen(long seq, String status, String reason) {}

    @GET
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@PathParam("id") String id, @Context Sse sse) {
        instances.get(id);
        AtomicLong lastSeq = new AtomicLong(-1);
        AtomicInteger quietTicks = new AtomicInteger();
        AtomicBoolean ended = new AtomicBoolean();
        long ticksPerKeepalive = Math.max(1, keepalive.toMillis() / pollInterval.toMillis());
        return Multi.createFrom().ticks().every(pollInterval)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(tick -> QuarkusTransaction.requiringNew().call(() -> {
                    InstanceRow i = InstanceRow.findById(id);
                    return new Seen(i.statusSeq, i.shownStatus(), i.shownReason());
                }))
                .select().where(seen -> ended.get() || seen.seq() != lastSeq.get()
                        || quietTicks.incrementAndGet() >= ticksPerKeepalive)
                // the tick after the final status ends the stream
                .select().first(seen -> !ended.get())
                .map(seen -> {
                    quietTicks.set(0);
                    if (seen.seq() == lastSeq.get()) {
                        return sse.newEventBuilder().comment("keepalive").build();
                    }
                    lastSeq.set(seen.seq());
                    ended.set(FINAL.contains(seen.status()));
                    return sse.newEventBuilder().name("status").id(Long.toString(seen.seq()))
                            .mediaType(MediaType.APPLICATION_JSON_TYPE)
                            .data(StatusView.class, new StatusView(id, seen.status(), seen.reason())).build();
                });
    }
}
