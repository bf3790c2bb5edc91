package io.gpumarket.node.projection;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.machine.ContainerState;
import io.gpumarket.events.machine.MachineEvent;
import io.gpumarket.events.machine.PerformanceSource;
import io.gpumarket.events.machine.MachineEvent.AuditFlagged;
import io.gpumarket.events.machine.MachineEvent.GpuFaultCleared;
import io.gpumarket.events.machine.MachineEvent.GpuFaultReported;
import io.gpumarket.events.machine.MachineEvent.MaintenanceScheduled;
import io.gpumarket.events.machine.MachineEvent.PerformanceScored;
import io.gpumarket.events.machine.MachineEvent.ReliabilityScored;
import io.gpumarket.events.machine.MachineEvent.VerificationChanged;
import io.gpumarket.events.machine.MachineEvent.ContainerReported;
import io.gpumarket.events.machine.MachineEvent.MachineCameOnline;
import io.gpumarket.events.machine.MachineEvent.MachineRegistered;
import io.gpumarket.events.machine.MachineEvent.MachineWentOffline;
import io.gpumarket.events.machine.MachineEvent.MaintenanceModeChanged;
import io.gpumarket.events.machine.MachineEvent.SoftwareReported;
import io.gpumarket.events.offer.OfferEvent;
import io.gpumarket.events.offer.OfferEvent.ListingPublished;
import io.gpumarket.kit.projection.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import io.gpumarket.node.domain.Reliability;
import io.gpumarket.node.processing.MachineScoring;
import io.gpumarket.node.domain.UptimeHistory;
import java.time.Instant;
import java.util.List;

/**
 * Reads {@code gpumarket.machines} into the machine table (spec, checks, token hash, online,
 * maintenance mode and windows, reported driver and CUDA versions, GPU faults, the uptime history
 * reliability is computed from and the scores node-service published) and
 * {@code gpumarket.offers} for whether each machine is listed and on what terms (a table of its
 * own, so the two topics may interleave in any order).
 */
@ApplicationScoped
public class MachinesProjection implements Projection {
    private final MachineScoring scoring;

    public MachinesProjection(MachineScoring scoring) {
        this.scoring = scoring;
    }

    /** Machines whose history or benchmark changed are scored again soon. */
    @Override
    public void committed(List<Event> events) {
        scoring.touched(events.stream().filter(e -> e instanceof MachineEvent && !(e instanceof ReliabilityScored))
                .map(Event::aggregateId).distinct().toList());
    }
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
        return List.of("machine", "machine_listing", "maintenance_window");
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
            return;
        }
        if (e instanceof ContainerReported c && c.state() != ContainerState.FAILED) {
            return; // only a failed start touches the machine's record
        }
        MachineRow m = MachineRow.findById(e.aggregateId());
        if (m == null) {
            return;
        }
        Instant at = e.meta().occurredAt();
        if (e instanceof MachineCameOnline) {
            m.online = true;
            health(m, m.history().cameOnline(at), at);
        } else if (e instanceof MachineWentOffline w) {
            m.online = false;
            health(m, m.history().wentOffline(at, !w.runningInstanceIds().isEmpty()), at);
        } else if (e instanceof ContainerReported c) {
            if (c.state() == ContainerState.FAILED) {
                health(m, m.history().failedStart(at), at);
            }
        } else if (e instanceof MaintenanceModeChanged mm) {
            m.maintenance = mm.enabled();
        } else if (e instanceof SoftwareReported s) {
            m.driverVersion = s.driverVersion();
            m.cudaVersion = s.cudaVersion();
        } else if (e instanceof MaintenanceScheduled w) {
            if (MaintenanceWindowRow.findById(w.windowId()) == null) {
                MaintenanceWindowRow row = new MaintenanceWindowRow();
                row.id = w.windowId();
                row.machineId = w.aggregateId();
                row.start = w.start();
                row.end = w.end();
                row.reason = w.reason();
                row.persist();
            }
        } else if (e instanceof GpuFaultReported f) {
            var faults = m.faults();
            faults.put(f.gpuIndex(), f.reason());
            m.faultedGpus = json(faults);
        } else if (e instanceof GpuFaultCleared f) {
            var faults = m.faults();
            faults.remove(f.gpuIndex());
            m.faultedGpus = json(faults);
        } else if (e instanceof PerformanceScored p) {
            if (p.source() == PerformanceSource.BENCHMARK) {
                m.benchmarkCenti = p.dlperfPerGpuCenti();
                m.benchmarkWithinRange = p.withinRange();
                m.benchmarkAt = at;
            }
            if (p.withinRange() || p.source() != PerformanceSource.BENCHMARK) {
                m.dlperfCenti = p.dlperfPerGpuCenti();
            }
        } else if (e instanceof AuditFlagged a) {
            m.auditReason = a.reason();
            m.auditAt = at;
        } else if (e instanceof ReliabilityScored r) {
            m.reliabilityPpm = r.reliabilityPpm();
            m.uptimePpm = r.uptimePpm();
            m.failedStarts = r.failedStarts();
            m.rentalDisconnects = r.rentalDisconnects();
        } else if (e instanceof VerificationChanged v) {
            m.verification = v.stage().wire();
            m.verificationSince = at;
            m.verificationReason = v.reason();
        } else {
            throw new IllegalArgumentException("unhandled machine event " + e.getClass().getSimpleName());
        }
    }

    /** Keeps the history and forgets what lies before the reliability window, by the event's time. */
    private static void health(MachineRow m, UptimeHistory h, Instant at) {
        m.health = json(h.prunedBefore(at.minus(Reliability.DEFAULT.window())));
    }

    private static String json(Object value) {
        return MachineRow.json(value);
    }
}
