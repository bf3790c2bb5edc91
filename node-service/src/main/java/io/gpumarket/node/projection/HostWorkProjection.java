package io.gpumarket.node.projection;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.machine.MachineEvent.ContainerReported;
import io.gpumarket.events.rental.RentalEvent.WorkIssued;
import io.gpumarket.node.agent.AgentMessages;
import io.gpumarket.node.agent.AgentSession;
import io.gpumarket.node.agent.AgentSessions;
import io.gpumarket.kit.projection.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/**
 * Reads work for hosts from {@code gpumarket.rentals} and the agents' reports from
 * {@code gpumarket.machines} into host_work: what each machine's agent still has to carry out,
 * redelivered whenever the agent (re)connects.
 */
@ApplicationScoped
public class HostWorkProjection implements Projection {
    private final AgentSessions sessions;

    public HostWorkProjection(AgentSessions sessions) {
        this.sessions = sessions;
    }

    /**
     * New work goes straight to its agent when it is connected here (it dedupes by work id); work
     * another replica projected reaches it through {@code AgentSessions}' sweep.
     */
    @Override
    public void committed(List<Event> events) {
        for (Event e : events) {
            if (e instanceof WorkIssued w) {
                AgentSession session = sessions.session(w.aggregateId());
                if (session != null) {
                    session.sendWork(w.workId(), AgentMessages.work(w));
                }
            }
        }
    }
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
        if (event instanceof WorkIssued w) {
            if (HostWorkRow.findById(w.workId()) != null) {
                return;
            }
            HostWorkRow row = new HostWorkRow();
            row.workId = w.workId();
            row.machineId = w.aggregateId();
            row.instanceId = w.instanceId();
            row.message = AgentMessages.work(w);
            row.partition = position.partition();
            row.logOffset = position.offset();
            row.reported = WorkReportRow.exists(w.workId());
            row.persist();
        } else if (event instanceof ContainerReported r && !WorkReportRow.exists(r.workId())) {
            WorkReportRow report = new WorkReportRow();
            report.workId = r.workId();
            report.persist();
            HostWorkRow work = HostWorkRow.findById(r.workId());
            if (work != null) {
                work.reported = true;
            }
        }
    }
}
