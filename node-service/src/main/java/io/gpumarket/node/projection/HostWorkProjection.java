package io.gpumarket.node.projection;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.machine.MachineEvent.ContainerReported;
import io.gpumarket.events.rental.RentalEvent.WorkIssued;
import io.gpumarket.node.agent.AgentMessages;
import io.gpumarket.kit.projection.Projection;
import io.gpumarket.kit.projection.RowsById;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads work for hosts from {@code gpumarket.rentals} and the agents' reports from
 * {@code gpumarket.machines} into host_work: what each machine's agent still has to carry out,
 * sent again whenever the agent (re)connects and by the sessions' sweep. New work goes to a
 * connected agent from {@code WorkDispatcher}, straight from the log, without waiting for this
 * projection's transaction.
 */
@ApplicationScoped
public class HostWorkProjection implements Projection {
    @Override
    public String name() {
        return "node-host-work";
    }

    @Override
    public List<TopicSpec<? extends Event>> topics() {
        return List.of(Topics.RENTALS, Topics.MACHINES);
    }

    @Override
    public Set<Class<?>> eventTypes() {
        return Set.of(WorkIssued.class, ContainerReported.class);
    }

    @Override
    public List<String> tables() {
        return List.of("host_work", "work_report");
    }

    @Override
    public void apply(Event event, Position position) {
        applyAll(List.of(new Positioned(event, position)));
    }

    /**
     * Loads the work and report rows a batch names with one statement each, then applies the
     * events in order: work is recorded once, a report once, and work reported before it was
     * projected is recorded as reported.
     */
    @Override
    public void applyAll(List<Positioned> batch) {
        Set<String> ids = new LinkedHashSet<>();
        for (Positioned p : batch) {
            String workId = workIdOf(p.event());
            if (workId != null) {
                ids.add(workId);
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        Map<String, HostWorkRow> work = RowsById.load(HostWorkRow.class, ids, w -> w.workId);
        Set<String> reported = new HashSet<>(RowsById.load(WorkReportRow.class, ids, r -> r.workId).keySet());
        for (Positioned p : batch) {
            if (p.event() instanceof WorkIssued w && !work.containsKey(w.workId())) {
                HostWorkRow row = new HostWorkRow();
                row.workId = w.workId();
                row.machineId = w.aggregateId();
                row.instanceId = w.instanceId();
                row.message = AgentMessages.work(w);
                row.partition = p.position().partition();
                row.logOffset = p.position().offset();
                row.reported = reported.contains(w.workId());
                row.persist();
                work.put(row.workId, row);
            } else if (p.event() instanceof ContainerReported r && r.workId() != null && reported.add(r.workId())) {
                WorkReportRow report = new WorkReportRow();
                report.workId = r.workId();
                report.persist();
                HostWorkRow row = work.get(r.workId());
                if (row != null) {
                    row.reported = true;
                }
            }
        }
    }

    private static String workIdOf(Event e) {
        if (e instanceof WorkIssued w) {
            return w.workId();
        }
        return e instanceof ContainerReported r ? r.workId() : null;
    }
}
