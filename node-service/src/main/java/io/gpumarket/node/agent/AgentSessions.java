package io.gpumarket.node.agent;

import io.gpumarket.events.EventMeta;
import io.gpumarket.events.machine.MachineEvent.MachineCameOnline;
import io.gpumarket.events.machine.MachineEvent.MachineWentOffline;
import io.gpumarket.events.rental.RentalEvent.WorkIssued;
import io.gpumarket.kit.kafka.EventPublisher;
import io.gpumarket.kit.kafka.KafkaSettings;
import io.gpumarket.kit.projection.Projections;
import io.gpumarket.node.domain.Liveness;
import io.gpumarket.node.domain.SeqWindow;
import io.gpumarket.node.projection.HeartbeatRow;
import io.gpumarket.node.projection.HostWorkRow;
import io.gpumarket.node.projection.MachineRow;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The agents connected to this node-service, and whether each machine is alive. A machine comes
 * online ({@code MachineCameOnline} on {@code gpumarket.machines}) when its agent says hello or
 * beats again, and goes offline ({@code MachineWentOffline}, naming the instances its last
 * heartbeat had running) once it has missed {@code gpumarket.node.missed-beats-offline}
 * heartbeats, connected or not, and no replica's heartbeat on {@code gpumarket.heartbeats} is
 * newer than that either (with several replicas, an agent beats at one of them); the time is the
 * service's {@link Clock}. Also remembers, per machine, which heartbeats were counted
 * ({@link SeqWindow}), and sends the agents connected here their work: new work as its
 * {@link WorkDispatcher} reads it on {@code gpumarket.rentals}, what they were not sent yet from
 * the host-work projection.
 */
@ApplicationScoped
public class AgentSessions {
    private static final Logger LOG = Logger.getLogger(AgentSessions.class);

    private final Map<String, AgentSession> connected = new ConcurrentHashMap<>();
    private final Map<String, SeqWindow> counted = new ConcurrentHashMap<>();
    private final Map<String, List<String>> running = new ConcurrentHashMap<>();
    private final ExecutorService blocking = Executors.newFixedThreadPool(8, daemon("agent-blocking"));
    private final EventPublisher publisher;
    private final Projections projections;
    private final Clock clock;
    private final Duration heartbeatInterval;
    private final Liveness liveness;
    private static final Duration WORK_SWEEP = Duration.ofMillis(300);

    private ScheduledExecutorService detector;
    private ScheduledExecutorService sweeper;
    private final WorkDispatcher dispatcher;
    private volatile boolean seeded;

    public AgentSessions(EventPublisher publisher, Projections projections, Clock clock, KafkaSettings kafka,
            @ConfigProperty(name = "gpumarket.node.heartbeat-interval") Duration heartbeatInterval,
            @ConfigProperty(name = "gpumarket.node.missed-beats-offline") int missedBeats) {
        this.publisher = publisher;
        this.projections = projections;
        this.clock = clock;
        this.heartbeatInterval = heartbeatInterval;
        this.liveness = new Liveness(heartbeatInterval.multipliedBy(missedBeats));
        this.dispatcher = new WorkDispatcher(kafka, this::deliver);
    }

    void onStart(@Observes StartupEvent event) {
        dispatcher.start();
        detector = Executors.newSingleThreadScheduledExecutor(daemon("agent-offline-detector"));
        detector.scheduleWithFixedDelay(this::detectOffline, 1, 1, TimeUnit.SECONDS);
        sweeper = Executors.newSingleThreadScheduledExecutor(daemon("agent-work-sweeper"));
        sweeper.scheduleWithFixedDelay(this::deliverPendingWork, WORK_SWEEP.toMillis(), WORK_SWEEP.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Sends new work to its agent when the agent's channel is held here (from {@link WorkDispatcher}). */
    private void deliver(WorkIssued w) {
        AgentSession s = connected.get(w.aggregateId());
        if (s != null) {
            s.sendWork(w.workId(), AgentMessages.work(w));
        }
    }

    /**
     * Sends the agents connected here the work not reported on yet that they have not been sent:
     * with several replicas, the one that projects a machine's work (by partition) is not always the
     * one holding its agent's channel. One query for all connected machines per sweep.
     */
    private void deliverPendingWork() {
        if (connected.isEmpty()) {
            return;
        }
        try {
            List<HostWorkRow> pending = QuarkusTransaction.requiringNew()
                    .call(() -> HostWorkRow.pendingFor(List.copyOf(connected.keySet())));
            for (HostWorkRow w : pending) {
                AgentSession s = connected.get(w.machineId);
                if (s != null) {
                    s.sendWork(w.workId, w.message);
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("work sweep failed, the next one retries: %s", e);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        dispatcher.stop();
        if (detector != null) {
            detector.shutdownNow();
        }
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        connected.values().forEach(AgentSession::close);
        blocking.shutdown();
    }

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** The pool sessions run their blocking work on (database reads, transactional publishes). */
    ExecutorService blocking() {
        return blocking;
    }

    void attach(String machineId, AgentSession session) {
        AgentSession previous = connected.put(machineId, session);
        if (previous != null && previous != session) {
            previous.close();
        }
    }

    void detach(String machineId, AgentSession session) {
        connected.remove(machineId, session);
    }

    /** Closes the machine's agent channel, if it is connected here; the agent reconnects and resends. */
    public void disconnect(String machineId) {
        AgentSession s = connected.get(machineId);
        if (s != null) {
            s.close();
        }
    }

    /** True when heartbeat ({@code bootId}, {@code seq}) of the machine was counted already. */
    boolean counted(String machineId, String bootId, long seq) {
        SeqWindow w = counted.get(machineId);
        return w != null && SeqWindow.admit(w, bootId, seq) == null;
    }

    /** Marks heartbeat ({@code bootId}, {@code seq}) counted, once it is on the log. */
    void count(String machineId, String bootId, long seq) {
        counted.compute(machineId, (id, w) -> {
            SeqWindow next = SeqWindow.admit(w, bootId, seq);
            return next == null ? w : next;
        });
    }

    /** Records a sign of life and what the machine has running; a machine not known alive comes online. */
    void beat(String machineId, List<String> runningInstanceIds) {
        if (runningInstanceIds != null) {
            running.put(machineId, runningInstanceIds);
        }
        if (liveness.beat(machineId, clock.instant())) {
            blocking.execute(() -> cameOnline(machineId));
        }
    }

    private void cameOnline(String machineId) {
        try {
            boolean online = QuarkusTransaction.requiringNew().call(() -> {
                MachineRow m = MachineRow.findById(machineId);
                return m != null && m.online;
            });
            if (!online) {
                publisher.publish(new MachineCameOnline(EventMeta.of(UUID.randomUUID(), machineId, 0, clock.instant()),
                        "agent"));
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not say machine %s came online: %s", machineId, e.toString());
        }
    }

    private void detectOffline() {
        try {
            if (!projections.allCaughtUp()) {
                return;
            }
            seedFromProjection();
            Instant now = clock.instant();
            List<String> silent = liveness.silent(now);
            if (silent.isEmpty()) {
                return;
            }
            for (String id : liveness.expire(now, heardOnTheLog(silent))) {
                publisher.publish(new MachineWentOffline(EventMeta.of(UUID.randomUUID(), id, 0, now),
                        "no heartbeat for " + liveness.offlineAfter().toSeconds() + " s",
                        running.getOrDefault(id, List.of())));
                running.remove(id);
                AgentSession s = connected.get(id);
                if (s != null) {
                    s.close();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("offline detection failed; trying again", e);
        }
    }

    /**
     * When each machine's latest heartbeat on the log reached a replica (this one or another: the
     * heartbeats projection reads every replica's), for those that have one.
     */
    private static Map<String, Instant> heardOnTheLog(List<String> machineIds) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, Instant> out = new HashMap<>();
            HeartbeatRow.<HeartbeatRow>list("machineId in ?1", machineIds).stream().filter(r -> r.receivedAt != null)
                    .forEach(r -> out.put(r.machineId, r.receivedAt));
            return out;
        });
    }

    /** Machines the log says are online but that beat nowhere here get the same grace as any other. */
    private void seedFromProjection() {
        if (seeded) {
            return;
        }
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> MachineRow.<MachineRow>list("online", true)
                .forEach(m -> liveness.assumeAlive(m.id, now)));
        seeded = true;
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
