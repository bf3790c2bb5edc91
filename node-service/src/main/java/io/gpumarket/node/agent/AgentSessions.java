package io.gpumarket.node.agent;

import io.gpumarket.events.EventMeta;
import io.gpumarket.events.machine.MachineEvent.MachineCameOnline;
import io.gpumarket.events.machine.MachineEvent.MachineWentOffline;
import io.gpumarket.kit.kafka.EventPublisher;
import io.gpumarket.kit.projection.Projections;
import io.gpumarket.node.projection.MachineRow;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The agents connected to this node-service, and whether each machine is online. A machine comes
 * online ({@code MachineCameOnline} on {@code gpumarket.machines}) when its agent says hello or
 * beats again, and goes offline ({@code MachineWentOffline}) once it has missed
 * {@code gpumarket.node.missed-beats-offline} heartbeats, connected or not.
 */
@ApplicationScoped
public class AgentSessions {
    private static final Logger LOG = Logger.getLogger(AgentSessions.class);

    private final Map<String, AgentSession> connected = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastBeat = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSeq = new ConcurrentHashMap<>();
    private final EventPublisher publisher;
    private final Projections projections;
    private final Clock clock;
    private final Duration heartbeatInterval;
    private final Duration offlineAfter;
    private ScheduledExecutorService detector;

    public AgentSessions(EventPublisher publisher, Projections projections, Clock clock,
            @ConfigProperty(name = "gpumarket.node.heartbeat-interval") Duration heartbeatInterval,
            @ConfigProperty(name = "gpumarket.node.missed-beats-offline") int missedBeats) {
        this.publisher = publisher;
        this.projections = projections;
        this.clock = clock;
        this.heartbeatInterval = heartbeatInterval;
        this.offlineAfter = heartbeatInterval.multipliedBy(missedBeats);
    }

    void onStart(@Observes StartupEvent event) {
        detector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agent-offline-detector");
            t.setDaemon(true);
            return t;
        });
        detector.scheduleWithFixedDelay(this::detectOffline, 1, 1, TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (detector != null) {
            detector.shutdownNow();
        }
        connected.values().forEach(AgentSession::close);
    }

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    void attach(String machineId, AgentSession session) {
        AgentSession previous = connected.put(machineId, session);
        if (previous != null && previous != session) {
            previous.close();
        }
        beat(machineId);
    }

    void detach(String machineId, AgentSession session) {
        connected.remove(machineId, session);
    }

    public AgentSession session(String machineId) {
        return connected.get(machineId);
    }

    /** True the first time a heartbeat ({@code bootId}, {@code seq}) is seen. */
    boolean firstSight(String machineId, String bootId, long seq) {
        String key = machineId + "/" + bootId;
        long[] fresh = {0};
        lastSeq.compute(key, (k, last) -> {
            if (last == null || seq > last) {
                fresh[0] = 1;
                return seq;
            }
            return last;
        });
        return fresh[0] == 1;
    }

    /** Records a sign of life; a machine not known online comes online. */
    void beat(String machineId) {
        Instant previous = lastBeat.put(machineId, clock.instant());
        if (previous == null) {
            boolean online = QuarkusTransaction.requiringNew().call(() -> {
                MachineRow m = MachineRow.findById(machineId);
                return m != null && m.online;
            });
            if (!online) {
                publisher.publish(new MachineCameOnline(EventMeta.of(UUID.randomUUID(), machineId, 0,
                        clock.instant()), "agent"));
            }
        }
    }

    private void detectOffline() {
        try {
            if (!projections.allCaughtUp()) {
                return;
            }
            seedFromProjection();
            Instant now = clock.instant();
            for (var e : lastBeat.entrySet()) {
                if (Duration.between(e.getValue(), now).compareTo(offlineAfter) > 0
                        && lastBeat.remove(e.getKey(), e.getValue())) {
                    publisher.publish(new MachineWentOffline(EventMeta.of(UUID.randomUUID(), e.getKey(), 0, now),
                            "no heartbeat for " + offlineAfter.toSeconds() + " s"));
                    AgentSession s = connected.get(e.getKey());
                    if (s != null) {
                        s.close();
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("offline detection failed; trying again", e);
        }
    }

    private boolean seeded;

    /** Machines the log says are online but that beat nowhere here get the same grace as any other. */
    private void seedFromProjection() {
        if (seeded) {
            return;
        }
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> MachineRow.<MachineRow>list("online", true)
                .forEach(m -> lastBeat.putIfAbsent(m.id, now)));
        seeded = true;
    }
}
