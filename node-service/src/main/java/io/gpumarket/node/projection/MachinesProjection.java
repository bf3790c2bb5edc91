package io.gpumarket.node.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.machine.MachineEvent;
import io.gpumarket.events.machine.MachineEvent.ContainerReported;
import io.gpumarket.events.machine.MachineEvent.MachineCameOnline;
import io.gpumarket.events.machine.MachineEvent.MachineRegistered;
import io.gpumarket.events.machine.MachineEvent.MachineWentOffline;
import io.gpumarket.events.machine.MachineEvent.MaintenanceModeChanged;
import io.gpumarket.events.machine.MachineEvent.SoftwareReported;
import io.gpumarket.events.offer.OfferEvent;
import io.gpumarket.events.offer.OfferEvent.ListingPublished;
import io.gpumarket.events.serde.EventJson;
import io.gpumarket.kit.projection.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Reads {@code gpumarket.machines} into the machine table (spec, checks, token hash, online,
 * maintenance mode, reported driver and CUDA versions) and
 * {@code gpumarket.offers} for whether each machine is listed and on what terms (a table of its
 * own, so the two topics may interleave in any order).
 */
@ApplicationScoped
public class MachinesProjection implements Projection {
    @Override
    public String name() {
        return "node-machines";
    }

    @Override
    public List<TopicSpec<? extends Event>> topics() {
        return List.of(Topics.MACHINES, Topics.OFFERS);
    }

    @Override
    public List<String> tables() {
        return List.of("machine", "machine_listing");
    }

    @Override
    public void apply(Event event, Position position) {
        if (event instanceof ListingPublished p) {
            MachineListingRow found = MachineListingRow.findById(p.aggregateId());
            MachineListingRow listing = found == null ? new MachineListingRow() : found;
            listing.machineId = p.aggregateId();
            listing.terms = json(p.terms());
            if (found == null) {
                listing.persist();
            }
            return;
        }
        if (event instanceof OfferEvent) {
            MachineListingRow.deleteById(event.aggregateId());
            return;
        }
        MachineEvent e = (MachineEvent) event;
        if (e instanceof MachineRegistered r) {
            if (MachineRow.findById(r.aggregateId()) != null) {
                return;
            }
            MachineRow m = new MachineRow();
            m.id = r.aggregateId();
            m.hostAccountId = r.hostAccountId();
            m.spec = json(r.spec());
            m.checks = json(r.checks());
            m.agentTokenHash = r.agentTokenHash();
            m.registeredAt = r.meta().occurredAt();
            m.persist();
        } else if (e instanceof MachineCameOnline) {
            setOnline(e.aggregateId(), true);
        } else if (e instanceof MachineWentOffline) {
            setOnline(e.aggregateId(), false);
        } else if (e instanceof MaintenanceModeChanged mm) {
            MachineRow m = MachineRow.findById(mm.aggregateId());
            if (m != null) {
                m.maintenance = mm.enabled();
            }
        } else if (e instanceof SoftwareReported s) {
            MachineRow m = MachineRow.findById(s.aggregateId());
            if (m != null) {
                m.driverVersion = s.driverVersion();
                m.cudaVersion = s.cudaVersion();
            }
        } else if (!(e instanceof ContainerReported)) {
            throw new IllegalArgumentException("unhandled machine event " + e.getClass().getSimpleName());
        }
    }

    private static void setOnline(String id, boolean online) {
        MachineRow m = MachineRow.findById(id);
        if (m != null) {
            m.online = online;
        }
    }

    static String json(Object value) {
        try {
            return EventJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
