package io.gpumarket.rental.projection;

import io.gpumarket.events.Event;
import io.gpumarket.events.ledger.LedgerEvent.InstancePosting;
import io.gpumarket.events.machine.MachineEvent.ContainerReported;
import io.gpumarket.events.rental.RentalEvent;
import io.gpumarket.events.status.StatusEvent.InstanceStatusChanged;

/** The instance an event is about, for the read models keyed by instance. */
public final class InstanceIds {
    private InstanceIds() {}

    /** The instance id of a rental, status, container-report or instance-posting event; else null. */
    public static String of(Event e) {
        if (e instanceof RentalEvent r) {
            return r.instanceId();
        } else if (e instanceof InstanceStatusChanged s) {
            return s.instanceId();
        } else if (e instanceof ContainerReported c) {
            return c.instanceId();
        } else if (e instanceof InstancePosting p) {
            return p.instanceId();
        }
        return null;
    }
}
