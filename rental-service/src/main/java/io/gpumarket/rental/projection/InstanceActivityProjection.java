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
import java.time.temporal.ChronoUnit;
import java.util.List;

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
            + " type, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (event_id) DO NOTHING";

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
    public void apply(Event event, Position position) {
        if (!(event instanceof RentalEvent || event instanceof InstanceStatusChanged
                || event instanceof ContainerReported)) {
            return;
        }
        ObjectNode body = EventJson.mapper().valueToTree(event);
        if (!body.hasNonNull("instanceId")) {
            return;
        }
        body.remove("meta");
        em.createNativeQuery(INSERT).setParameter(1, event.meta().eventId().toString())
                .setParameter(2, body.get("instanceId").asText()).setParameter(3, event.meta().occurredAt())
                .setParameter(4, event.meta().occurredAt().truncatedTo(ChronoUnit.SECONDS)).setParameter(5, rank(event))
                .setParameter(6, event.meta().seq()).setParameter(7, body.get("type").asText())
                .setParameter(8, body.toString()).executeUpdate();
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
