package io.gpumarket.rental.projection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.machine.MachineEvent.ContainerReported;
import io.gpumarket.events.rental.RentalEvent;
import io.gpumarket.events.rental.RentalEvent.InstanceReleased;
import io.gpumarket.events.rental.RentalEvent.PlacementRequested;
import io.gpumarket.events.rental.RentalEvent.RentalApproved;
import io.gpumarket.events.rental.RentalEvent.RentalRejected;
import io.gpumarket.events.rental.RentalEvent.RentalRequested;
import io.gpumarket.events.serde.EventJson;
import io.gpumarket.events.status.StatusEvent.InstanceStatusChanged;
import io.gpumarket.kit.projection.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/**
 * Each instance's activity log, straight from the log: every {@code gpumarket.rentals} event about
 * it, its status changes ({@code gpumarket.status}) and its host agent's container reports
 * ({@code gpumarket.machines}), stored as written (without the envelope) under the event's id, so
 * a replay inserts nothing twice and a rebuild writes the same rows. Each service stamps its events
 * with its own clock, some to the second, so entries are ordered by the second, then by
 * {@link #rank} within it.
 */
@ApplicationScoped
public class InstanceActivityProjection implements Projection {
    private static final String INSERT = "INSERT INTO instance_event (event_id, instance_id, at, second, rank, seq,"
            + " type, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING";

    private final EntityManager em;

    public InstanceActivityProjection(EntityManager em) {
        this.em = em;
    }

    @Override
    public String name() {
        return "rental-activity";
    }

    @Override
    public List<TopicSpec<? extends Event>> topics() {
        return List.of(Topics.RENTALS, Topics.STATUS, Topics.MACHINES);
    }

    @Override
    public List<String> tables() {
        return List.of("instance_event");
    }

    @Override
    public Set<Class<?>> eventTypes() {
        return Set.of(RentalEvent.class, InstanceStatusChanged.class, ContainerReported.class);
    }

    @Override
    public void apply(Event event, Position position) {
        applyAll(List.of(new Positioned(event, position)));
    }

    /** One JDBC batch of inserts per polled batch: a round trip to PostgreSQL per batch, not per event. */
    @Override
    public void applyAll(List<Positioned> batch) {
        List<Positioned> entries = batch.stream().filter(p -> InstanceIds.of(p.event()) != null).toList();
        if (entries.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (Positioned p : entries) {
                    Event event = p.event();
                    ObjectNode body = EventJson.mapper().valueToTree(event);
                    body.remove("meta");
                    insert.setString(1, event.meta().eventId().toString());
                    insert.setString(2, InstanceIds.of(event));
                    insert.setObject(3, OffsetDateTime.ofInstant(event.meta().occurredAt(), ZoneOffset.UTC));
                    insert.setObject(4, OffsetDateTime.ofInstant(event.meta().occurredAt().truncatedTo(ChronoUnit.SECONDS),
                            ZoneOffset.UTC));
                    insert.setShort(5, rank(event));
                    insert.setLong(6, event.meta().seq());
                    insert.setString(7, body.get("type").asText());
                    insert.setString(8, body.toString());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }

    /**
     * An event's place in the flow within one second: the request, its admission, the placement,
     * inputs to the machine (requests, the agent's reports), the machine's decisions (in its
     * sequence), and the machine's notice back to the account.
     */
    static short rank(Event e) {
        if (e instanceof RentalRequested) {
            return 0;
        } else if (e instanceof RentalApproved || e instanceof RentalRejected) {
            return 1;
        } else if (e instanceof PlacementRequested) {
            return 2;
        } else if (e instanceof InstanceReleased) {
            return 5;
        } else if (e instanceof ContainerReported || e.meta().seq() == 0) {
            return 3;
        }
        return 4;
    }
}
