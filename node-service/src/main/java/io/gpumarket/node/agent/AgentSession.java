package io.gpumarket.node.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.account.KeyHash;
import io.gpumarket.events.agent.AgentMessage;
import io.gpumarket.events.heartbeat.HeartbeatEvent.HeartbeatReceived;
import io.gpumarket.events.machine.MachineEvent.AuditFlagged;
import io.gpumarket.events.machine.MachineEvent.ContainerReported;
import io.gpumarket.events.machine.MachineEvent.GpuFaultCleared;
import io.gpumarket.events.machine.MachineEvent.GpuFaultReported;
import io.gpumarket.events.machine.MachineEvent.PerformanceScored;
import io.gpumarket.events.machine.MachineEvent.SoftwareReported;
import io.gpumarket.events.machine.MachineSpec;
import io.gpumarket.events.machine.PerformanceSource;
import io.gpumarket.kit.kafka.EventPublisher;
import io.gpumarket.kit.kafka.StreamPublisher;
import io.gpumarket.node.domain.GpuFaults;
import io.gpumarket.node.domain.HeartbeatCheck;
import io.gpumarket.node.domain.PerformanceAudit;
import io.gpumarket.node.projection.HostWorkRow;
import io.gpumarket.node.projection.MachineRow;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.http.ServerWebSocket;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One agent's WebSocket. The first frame must be a hello for the machine the upgrade's agent
 * token belongs to (else {@code refused}, close 4403). Then a heartbeat is checked
 * ({@link HeartbeatCheck}; a bad one is {@code rejected} with the reason and never reaches the
 * log), written to {@code gpumarket.heartbeats} without a transaction and acknowledged once the
 * broker has it, all on the event loop; a heartbeat already counted is acknowledged again and not
 * written. Reports go to {@code gpumarket.machines} the same way, at once and in the order they
 * arrived; GPU faults and software changes it shows and benchmarks go there in transactions from a
 * worker, in the order they arrived.
 */
public final class AgentSession {
    private static final Logger LOG = Logger.getLogger(AgentSession.class);
    private static final long MAX_DLPERF_PER_GPU_CENTI = 100_000_00L;

    private final ServerWebSocket socket;
    private final String tokenHash;
    private final AgentSessions sessions;
    private final EventPublisher publisher;
    private final StreamPublisher stream;
    private final Clock clock;
    private final SerialExecutor serial;
    private final java.util.Set<String> sentWork = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean established;
    private volatile String machineId;
    private volatile String bootId;
    /** The high half of this boot's heartbeat event ids; the low half is the seq, so an id is (machine, boot, seq). */
    private volatile long bootIdBits;
    private volatile MachineSpec spec;
    private Map<Integer, String> faults = Map.of();
    private String reportedSoftware;

    AgentSession(ServerWebSocket socket, String authorization, AgentSessions sessions, EventPublisher publisher,
            StreamPublisher stream, Clock clock) {
        this.socket = socket;
        this.tokenHash = authorization != null && authorization.startsWith("Bearer ")
                ? KeyHash.of(authorization.substring(7).trim()) : null;
        this.sessions = sessions;
        this.publisher = publisher;
        this.stream = stream;
        this.clock = clock;
        this.serial = new SerialExecutor(sessions.blocking());
        socket.textMessageHandler(this::onFrame);
        socket.closeHandler(v -> {
            if (machineId != null) {
                sessions.detach(machineId, this);
            }
        });
    }

    /** Sends a piece of work unless this session sent it already (the agent dedupes too). */
    public void sendWork(String workId, String frame) {
        if (sentWork.add(workId)) {
            send(frame);
        }
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

    private void onFrame(String frame) {
        AgentMessage message;
        try {
            message = AgentMessages.read(frame);
        } catch (RuntimeException e) {
            reject(null, null, "malformed frame: " + firstLine(e.getMessage()));
            return;
        }
        if (established && message instanceof AgentMessage.Heartbeat hb) {
            heartbeat(hb);
        } else {
            serial.execute(() -> handleSafely(message));
        }
    }

    private void handleSafely(AgentMessage message) {
        try {
            handle(message);
        } catch (RuntimeException e) {
            LOG.warnf("agent %s: dropping the connection after a failure: %s", machineId, e.toString());
            close();
        }
    }

    private void handle(AgentMessage message) {
        if (machineId == null) {
            if (message instanceof AgentMessage.Hello hello) {
                hello(hello);
            } else {
                refuse("say hello first");
            }
        } else if (message instanceof AgentMessage.Heartbeat hb) {
            heartbeat(hb);
        } else if (message instanceof AgentMessage.Report report) {
            report(report);
        } else if (message instanceof AgentMessage.Benchmark benchmark) {
            benchmark(benchmark);
        } else {
            refuse("unexpected " + message.getClass().getSimpleName().toLowerCase());
        }
    }

    private void hello(AgentMessage.Hello hello) {
        MachineRow machine = hello.machineId() == null ? null : QuarkusTransaction.requiringNew()
                .call(() -> MachineRow.<MachineRow>findById(hello.machineId()));
        if (machine == null || tokenHash == null || !MessageDigest.isEqual(
                machine.agentTokenHash.getBytes(StandardCharsets.UTF_8), tokenHash.getBytes(StandardCharsets.UTF_8))) {
            refuse("unknown machine or wrong agent token");
            return;
        }
        spec = MachineRow.read(machine.spec, new TypeReference<MachineSpec>() {});
        synchronized (this) {
            faults = machine.faults();
        }
        bootId = hello.bootId() == null || hello.bootId().isBlank() ? "unknown" : hello.bootId();
        bootIdBits = UUID.nameUUIDFromBytes((hello.machineId() + "/" + bootId).getBytes(StandardCharsets.UTF_8))
                .getMostSignificantBits();
        machineId = hello.machineId();
        sessions.attach(machineId, this);
        send(AgentMessages.write(new AgentMessage.Welcome((int) sessions.heartbeatInterval().toSeconds())));
        established = true;
        sessions.beat(machineId, null);
        List<HostWorkRow> pending = QuarkusTransaction.requiringNew().call(() -> HostWorkRow.pendingFor(machineId));
        pending.forEach(w -> sendWork(w.workId, w.message));
    }

    private void heartbeat(AgentMessage.Heartbeat hb) {
        Optional<String> problem = HeartbeatCheck.problem(hb, spec, clock.instant());
        if (problem.isPresent()) {
            reject(hb.seq(), null, problem.get());
            return;
        }
        String machine = machineId;
        String boot = bootId;
        sessions.beat(machine, hb.runningInstanceIds());
        facts(hb);
        String ack = AgentMessages.heartbeatAck(hb.seq());
        if (sessions.counted(machine, boot, hb.seq())) {
            send(ack);
            return;
        }
        UUID eventId = new UUID(bootIdBits, hb.seq());
        var event = new HeartbeatReceived(EventMeta.of(eventId, machine, 0, clock.instant()), boot, hb.seq(),
                hb.sampledAt(), hb.gpus(), hb.driverVersion(), hb.cudaVersion(), hb.diskFreeGb(),
                hb.runningInstanceIds(), hb.traffic());
        stream.publish(event).whenComplete((written, error) -> {
            if (error == null) {
                sessions.count(machine, boot, hb.seq());
                send(ack);
            } else {
                LOG.debugf("heartbeat %d of %s not written (%s); the agent will resend it", hb.seq(), machine, error);
            }
        });
    }

    /** GPU faults and software versions that changed with this heartbeat, published in arrival order. */
    private synchronized void facts(AgentMessage.Heartbeat hb) {
        List<Event> changes = new ArrayList<>();
        Map<Integer, String> seen = GpuFaults.seen(hb.gpus(), spec.gpuCount());
        for (GpuFaults.Change c : GpuFaults.changes(faults, seen)) {
            EventMeta meta = EventMeta.of(UUID.randomUUID(), machineId, 0, clock.instant());
            changes.add(c.reason() == null ? new GpuFaultCleared(meta, c.gpuIndex())
                    : new GpuFaultReported(meta, c.gpuIndex(), c.reason()));
        }
        String software = hb.driverVersion() + "|" + hb.cudaVersion();
        boolean softwareChanged = (hb.driverVersion() != null || hb.cudaVersion() != null)
                && !software.equals(reportedSoftware);
        if (softwareChanged) {
            changes.add(new SoftwareReported(EventMeta.of(UUID.randomUUID(), machineId, 0, clock.instant()),
                    hb.driverVersion(), hb.cudaVersion()));
        }
        if (changes.isEmpty()) {
            return;
        }
        Map<Integer, String> before = faults;
        String softwareBefore = reportedSoftware;
        faults = seen;
        reportedSoftware = softwareChanged ? software : reportedSoftware;
        serial.execute(() -> {
            try {
                publisher.publish(changes);
            } catch (RuntimeException e) {
                LOG.warnf("agent %s: GPU faults or software not published (%s); the next heartbeat tries again",
                        machineId, e.toString());
                synchronized (this) {
                    faults = before;
                    reportedSoftware = softwareBefore;
                }
            }
        });
    }

    private void report(AgentMessage.Report report) {
        // work sent on this channel is this machine's (it may be sent before its row commits);
        // other work ids are looked up
        boolean known = report.workId() != null && (sentWork.contains(report.workId())
                || QuarkusTransaction.requiringNew().call(() -> {
                    HostWorkRow w = HostWorkRow.findById(report.workId());
                    return w != null && w.machineId.equals(machineId);
                }));
        if (!known) {
            reject(null, null, "report on unknown work " + report.workId());
            return;
        }
        // acknowledged once the broker has it, without a transaction: a report stands alone (the
        // rental decider ignores one it already acted on), and the instance's next status waits on it
        stream.publishPromptly(new ContainerReported(EventMeta.of(UUID.randomUUID(), machineId, 0, clock.instant()),
                report.workId(), report.instanceId(), report.state(), report.detail(), report.access()))
                .whenComplete((written, error) -> {
                    if (error == null) {
                        send(AgentMessages.write(new AgentMessage.Ack(null, report.workId(), null)));
                    } else {
                        LOG.warnf("agent %s: dropping the connection, a report was not written: %s", machineId,
                                error.toString());
                        close();
                    }
                });
    }

    private void benchmark(AgentMessage.Benchmark b) {
        long centi;
        try {
            centi = new BigDecimal(b.dlperfPerGpu()).setScale(2, java.math.RoundingMode.UNNECESSARY).unscaledValue()
                    .longValueExact();
        } catch (RuntimeException e) {
            reject(null, b.id(), "dlperfPerGpu must be a decimal with at most 2 places, e.g. \"37.20\"");
            return;
        }
        if (centi <= 0 || centi > MAX_DLPERF_PER_GPU_CENTI) {
            reject(null, b.id(), "dlperfPerGpu must be above 0 and at most 100000");
            return;
        }
        PerformanceAudit.Verdict v = PerformanceAudit.judge(spec.gpuModel(), b.gpuModel(), centi);
        List<Event> events = new ArrayList<>();
        events.add(new PerformanceScored(EventMeta.of(UUID.randomUUID(), machineId, 0, clock.instant()), centi,
                PerformanceSource.BENCHMARK, v.expectedPerGpuCenti(), v.withinRange()));
        if (v.anomaly() != null) {
            events.add(new AuditFlagged(EventMeta.of(UUID.randomUUID(), machineId, 0, clock.instant()), v.anomaly()));
        }
        publisher.publish(events);
        send(AgentMessages.write(new AgentMessage.Ack(null, null, b.id())));
    }

    private void reject(Long seq, String benchmarkId, String reason) {
        send(AgentMessages.write(new AgentMessage.Rejected(seq, benchmarkId, reason)));
    }

    private void refuse(String reason) {
        send(AgentMessages.write(new AgentMessage.Refused(reason)));
        socket.close((short) 4403, reason.length() > 100 ? reason.substring(0, 100) : reason);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
