package io.gpumarket.node.agent;

import io.gpumarket.events.EventMeta;
import io.gpumarket.events.account.KeyHash;
import io.gpumarket.events.agent.AgentMessage;
import io.gpumarket.events.heartbeat.HeartbeatEvent.HeartbeatReceived;
import io.gpumarket.events.machine.MachineEvent.ContainerReported;
import io.gpumarket.events.machine.MachineEvent.SoftwareReported;
import io.gpumarket.kit.kafka.EventPublisher;
import io.gpumarket.node.projection.HostWorkRow;
import io.gpumarket.node.projection.MachineRow;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.http.ServerWebSocket;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * One agent's WebSocket. Frames are handled one at a time, off the event loop. The first frame
 * must be a hello for the machine the upgrade's agent token belongs to; then heartbeats become
 * {@code HeartbeatReceived} on {@code gpumarket.heartbeats} and reports become
 * {@code ContainerReported} on {@code gpumarket.machines}, each acknowledged once it is on the log.
 */
public final class AgentSession {
    private static final Logger LOG = Logger.getLogger(AgentSession.class);

    private final ServerWebSocket socket;
    private final String tokenHash;
    private final AgentSessions sessions;
    private final EventPublisher publisher;
    private final Clock clock;
    private final ExecutorService serial = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "agent-session");
        t.setDaemon(true);
        return t;
    });
    private String machineId;
    private String bootId;
    private String reportedSoftware;

    AgentSession(ServerWebSocket socket, String authorization, AgentSessions sessions, EventPublisher publisher,
            Clock clock) {
        this.socket = socket;
        this.tokenHash = authorization != null && authorization.startsWith("Bearer ")
                ? KeyHash.of(authorization.substring(7).trim()) : null;
        this.sessions = sessions;
        this.publisher = publisher;
        this.clock = clock;
        socket.textMessageHandler(frame -> serial.execute(() -> handleSafely(frame)));
        socket.closeHandler(v -> {
            if (machineId != null) {
                sessions.detach(machineId, this);
            }
            serial.shutdown();
        });
    }

    public void send(String frame) {
        if (!socket.isClosed()) {
            socket.writeTextMessage(frame);
        }
    }

    void close() {
        if (!socket.isClosed()) {
            socket.close();
        }
    }

    private void handleSafely(String frame) {
        try {
            handle(AgentMessages.read(frame));
        } catch (RuntimeException e) {
            LOG.warnf("agent %s: dropping the connection after a bad frame: %s", machineId, e.toString());
            close();
        }
    }

    private void handle(AgentMessage message) {
        if (machineId == null) {
            if (message instanceof AgentMessage.Hello hello) {
                hello(hello);
                return;
            }
            refuse("say hello first");
            return;
        }
        if (message instanceof AgentMessage.Heartbeat hb) {
            if (sessions.firstSight(machineId, bootId, hb.seq())) {
                publisher.publish(new HeartbeatReceived(EventMeta.of(UUID.randomUUID(), machineId, 0, clock.instant()),
                        hb.seq(), hb.gpus(), hb.driverVersion(), hb.cudaVersion(), hb.diskFreeGb(),
                        hb.runningInstanceIds()));
            }
            software(hb);
            sessions.beat(machineId);
            send(AgentMessages.write(new AgentMessage.Ack(hb.seq(), null)));
        } else if (message instanceof AgentMessage.Report report) {
            boolean known = QuarkusTransaction.requiringNew().call(() -> {
                HostWorkRow w = HostWorkRow.findById(report.workId());
                return w != null && w.machineId.equals(machineId);
            });
            if (known) {
                publisher.publish(new ContainerReported(EventMeta.of(UUID.randomUUID(), machineId, 0, clock.instant()),
                        report.workId(), report.instanceId(), report.state(), report.detail()));
            } else {
                LOG.warnf("agent %s reported on unknown work %s; ignored", machineId, report.workId());
            }
            send(AgentMessages.write(new AgentMessage.Ack(null, report.workId())));
        } else {
            refuse("unexpected " + message.getClass().getSimpleName().toLowerCase());
        }
    }

    private void hello(AgentMessage.Hello hello) {
        MachineRow machine = QuarkusTransaction.requiringNew()
                .call(() -> MachineRow.<MachineRow>findById(hello.machineId()));
        if (machine == null || tokenHash == null || !MessageDigest.isEqual(
                machine.agentTokenHash.getBytes(StandardCharsets.UTF_8), tokenHash.getBytes(StandardCharsets.UTF_8))) {
            refuse("unknown machine or wrong agent token");
            return;
        }
        machineId = hello.machineId();
        bootId = hello.bootId() == null ? "unknown" : hello.bootId();
        sessions.attach(machineId, this);
        send(AgentMessages.write(new AgentMessage.Welcome((int) sessions.heartbeatInterval().toSeconds())));
        List<String> pending = QuarkusTransaction.requiringNew()
                .call(() -> HostWorkRow.pendingFor(machineId).stream().map(w -> w.message).toList());
        pending.forEach(this::send);
    }

    private void refuse(String reason) {
        send(AgentMessages.write(new AgentMessage.Refused(reason)));
        socket.close((short) 4403, reason.length() > 100 ? reason.substring(0, 100) : reason);
    }

    /** Publishes the driver and CUDA versions when this session first sees them or they change. */
    private void software(AgentMessage.Heartbeat hb) {
        String now = hb.driverVersion() + "|" + hb.cudaVersion();
        if ((hb.driverVersion() != null || hb.cudaVersion() != null) && !now.equals(reportedSoftware)) {
            publisher.publish(new SoftwareReported(EventMeta.of(UUID.randomUUID(), machineId, 0, clock.instant()),
                    hb.driverVersion(), hb.cudaVersion()));
            reportedSoftware = now;
        }
    }
}
