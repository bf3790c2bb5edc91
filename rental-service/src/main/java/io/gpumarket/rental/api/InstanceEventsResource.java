package io.gpumarket.rental.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpumarket.events.serde.EventJson;
import io.gpumarket.kit.api.Problem;
import jakarta.persistence.EntityManager;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code GET /api/v1/instances/{id}/events}: the instance's activity log, oldest first (by the
 * second, then the flow within it: see {@code InstanceActivityProjection}), each entry
 * the event as the log holds it ({@code type} and its fields) with its time {@code at}; pages of
 * {@code limit} (default 50, at most 500) with a {@code next} cursor. Read from the
 * {@code rental-activity} projection.
 */
@Path("/api/v1/instances/{id}/events")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceEventsResource {
    private final EntityManager em;
    private final OwnInstances instances;

    public InstanceEventsResource(EntityManager em, OwnInstances instances) {
        this.em = em;
        this.instances = instances;
    }

    public record Page(List<JsonNode> events, String next) {}

    @GET
    public Page events(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
            @QueryParam("next") String next) {
        instances.get(id);
        Cursor after = next == null || next.isBlank() ? Cursor.START : Cursor.parse(next);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT at, second, rank, seq, event_id, body FROM instance_event"
                + " WHERE instance_id = ?1 AND (second, rank, seq, event_id) > (?2, ?3, ?4, ?5)"
                + " ORDER BY second, rank, seq, event_id LIMIT ?6")
                .setParameter(1, id).setParameter(2, Timestamp.from(after.second())).setParameter(3, after.rank())
                .setParameter(4, after.seq()).setParameter(5, after.eventId()).setParameter(6, limit + 1)
                .getResultList();
        List<JsonNode> events = new ArrayList<>();
        for (Object[] row : rows.subList(0, Math.min(limit, rows.size()))) {
            events.add(entry(row));
        }
        String cursor = null;
        if (rows.size() > limit) {
            Object[] last = rows.get(limit - 1);
            cursor = new Cursor(instant(last[1]), ((Number) last[2]).intValue(), ((Number) last[3]).longValue(),
                    (String) last[4]).encode();
        }
        return new Page(events, cursor);
    }

    private static JsonNode entry(Object[] row) {
        try {
            ObjectNode body = (ObjectNode) EventJson.mapper().readTree((String) row[5]);
            ObjectNode out = EventJson.mapper().createObjectNode();
            out.put("at", instant(row[0]).toString());
            out.setAll(body);
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable activity row " + row[4], e);
        }
    }

    private static Instant instant(Object value) {
        return value instanceof Timestamp t ? t.toInstant() : value instanceof Instant i ? i
                : ((java.time.OffsetDateTime) value).toInstant();
    }

    /** Where a page ends: the last entry's place in the order (second, rank, seq, event id). */
    record Cursor(Instant second, int rank, long seq, String eventId) {
        static final Cursor START = new Cursor(Instant.EPOCH, -1, -1, "");

        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((second + "|" + rank + "|" + seq + "|"
                    + eventId).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor parse(String text) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|", 4);
                return new Cursor(Instant.parse(parts[0]), Integer.parseInt(parts[1]), Long.parseLong(parts[2]),
                        parts[3]);
            } catch (RuntimeException e) {
                throw Problem.badRequest("invalid next cursor");
            }
        }
    }
}
