package io.gpumarket.rental.projection;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.ledger.LedgerEvent.InstancePosting;
import io.gpumarket.events.machine.MachineEvent.ContainerReported;
import io.gpumarket.events.rental.RentalEvent.ContractExtended;
import io.gpumarket.events.rental.RentalEvent.NoticeIssued;
import io.gpumarket.events.rental.RentalEvent.BidChanged;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalEvent.PlacementAccepted;
import io.gpumarket.events.rental.Reservation;
import io.gpumarket.events.rental.RentalEvent.MeteringPaused;
import io.gpumarket.events.rental.RentalEvent.MeteringResumed;
import io.gpumarket.events.rental.RentalEvent.PlacementRefused;
import io.gpumarket.events.rental.RentalEvent.RentalRejected;
import io.gpumarket.events.rental.RentalEvent.RentalRequested;
import io.gpumarket.events.status.StatusEvent.InstanceStatusChanged;
import io.gpumarket.kit.projection.Projection;
import io.gpumarket.kit.projection.RowsById;
import io.gpumarket.rental.api.RentalDecisions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Instances for their owners, from {@code gpumarket.rentals} (request, refusal, placement,
 * contract extensions, bid changes: the latest by meter),
 * {@code gpumarket.status} (every status with its reason), {@code gpumarket.machines} (where the
 * agent says a running container is reached) and {@code gpumarket.ledger} (what each
 * has cost so far: usage charges, a reservation's prepayment less its refund; billing books each
 * once, and offsets commit with the rows). Every event only sets the columns of its own source,
 * so a rebuild that interleaves the topics differently writes the same rows.
 */
@ApplicationScoped
public class InstancesProjection implements Projection {
    public static final String NAME = "rental-instances";

    /** The environment variable a Jupyter container finds its login token in. */
    public static final String JUPYTER_TOKEN = "GPUMARKET_JUPYTER_TOKEN";
    private final EntityManager em;
    private final RentalDecisions decisions;

    public InstancesProjection(EntityManager em, RentalDecisions decisions) {
        this.em = em;
        this.decisions = decisions;
    }

    /** Rental requests waiting in this replica learn their decision once it is committed here. */
    @Override
    public void committed(List<Event> events) {
        decisions.committed(events);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<TopicSpec<? extends Event>> topics() {
        return List.of(Topics.RENTALS, Topics.STATUS, Topics.LEDGER, Topics.MACHINES);
    }

    /** What {@link #apply} reads, and the decisions {@link RentalDecisions} wakes requests on. */
    @Override
    public Set<Class<?>> eventTypes() {
        return Set.of(RentalRequested.class, RentalRejected.class, PlacementRefused.class, GpusAllocated.class,
                PlacementAccepted.class, BidChanged.class, MeteringPaused.class, MeteringResumed.class,
                ContractExtended.class, NoticeIssued.class, InstanceStatusChanged.class, ContainerReported.class,
                InstancePosting.class);
    }

    @Override
    public List<String> tables() {
        return List.of("instance", "instance_notice");
    }

    @Override
    public void apply(Event event, Position position) {
        applyAll(List.of(new Positioned(event, position)));
    }

    /** Loads every instance row the batch touches with one query, then applies the events in order. */
    @Override
    public void applyAll(List<Positioned> batch) {
        Set<String> ids = new LinkedHashSet<>();
        for (Positioned p : batch) {
            String id = InstanceIds.of(p.event());
            if (id != null) {
                ids.add(id);
            }
        }
        Map<String, InstanceRow> rows = RowsById.load(InstanceRow.class, ids, r -> r.id);
        for (Positioned p : batch) {
            apply(p.event(), id -> rows.computeIfAbsent(id, InstancesProjection::newRow));
        }
    }

    private static InstanceRow newRow(String id) {
        InstanceRow i = new InstanceRow();
        i.id = id;
        i.persist();
        return i;
    }

    private void apply(Event event, Function<String, InstanceRow> instance) {
        if (event instanceof RentalRequested r) {
            InstanceRow i = instance.apply(r.instanceId());
            i.accountId = r.accountId();
            i.machineId = r.machineId();
            i.offerId = r.offerId();
            i.label = r.label();
            i.numGpus = r.contract().numGpus();
            i.image = r.container().image();
            i.createdAt = r.meta().occurredAt();
            i.endDate = r.contract().endDate();
            i.pricePerHour = Math.multiplyExact(r.contract().gpuPricePerHourMicros(), r.contract().numGpus());
            i.rentalType = r.contract().type().wire();
            i.launchMode = r.container().launchMode();
            i.jupyterToken = r.container().env() == null ? null : r.container().env().get(JUPYTER_TOKEN);
            Reservation term = r.contract().reservation();
            if (term != null) {
                i.reservedMonths = term.months();
                i.reservedDiscountBps = term.discountBps();
                i.reservedUntil = term.until();
                i.prepaid = term.prepaidMicros();
            }
        } else if (event instanceof RentalRejected r) {
            refuse(instance.apply(r.instanceId()), r.reason().wire(), r.detail());
        } else if (event instanceof PlacementRefused r) {
            refuse(instance.apply(r.instanceId()), r.reason().wire(), r.detail());
        } else if (event instanceof GpusAllocated a) {
            instance.apply(a.instanceId()).placed = true;
        } else if (event instanceof PlacementAccepted a) {
            instance.apply(a.instanceId()).placed = true;
        } else if (event instanceof BidChanged b) {
            InstanceRow i = instance.apply(b.instanceId());
            if (b.meter() > i.bidMeter) {
                i.bidMeter = b.meter();
                i.bid = b.bidPerHourMicros();
            }
        } else if (event instanceof MeteringPaused mp) {
            instance.apply(mp.instanceId()).chargingPaused = true;
        } else if (event instanceof MeteringResumed mr) {
            instance.apply(mr.instanceId()).chargingPaused = false;
        } else if (event instanceof ContractExtended x) {
            InstanceRow i = instance.apply(x.instanceId());
            if (i.extendedEndDate == null || x.endDate().isAfter(i.extendedEndDate)) {
                i.extendedEndDate = x.endDate();
            }
        } else if (event instanceof NoticeIssued n) {
            if (NoticeRow.findById(n.meta().eventId().toString()) == null) {
                NoticeRow row = new NoticeRow();
                row.eventId = n.meta().eventId().toString();
                row.instanceId = n.instanceId();
                row.at = n.meta().occurredAt();
                row.kind = n.kind();
                row.message = n.message();
                row.start = n.start();
                row.end = n.end();
                row.persist();
            }
        } else if (event instanceof InstanceStatusChanged s) {
            InstanceRow i = instance.apply(s.instanceId());
            if (s.meta().seq() > i.statusSeq) {
                i.status = s.status().wire();
                i.statusReason = s.reason();
                i.statusSeq = s.meta().seq();
            }
        } else if (event instanceof ContainerReported r && r.access() != null && r.instanceId() != null) {
            InstanceRow i = instance.apply(r.instanceId());
            i.accessHost = r.access().host();
            i.sshPort = r.access().sshPort();
            i.jupyterPort = r.access().jupyterPort();
        } else if (event instanceof InstancePosting c) {
            InstanceRow i = instance.apply(c.instanceId());
            i.costSoFar = Math.subtractExact(i.costSoFar, c.amountMicros());
        }
    }

    private static void refuse(InstanceRow i, String code, String detail) {
        i.refusal = code;
        i.refusalReason = detail;
    }
}
