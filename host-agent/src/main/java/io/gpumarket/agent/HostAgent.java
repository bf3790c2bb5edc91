package io.gpumarket.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.gpumarket.agent.runtime.ContainerRuntime;
import io.gpumarket.events.agent.AgentFrameListener;
import io.gpumarket.events.agent.AgentMessage;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The host agent: keeps one WebSocket to the gateway's agent channel, says hello for its machine,
 * sends heartbeats at the interval the welcome names (GPU readings and faults, versions, disk
 * free, running containers and their traffic), reports its benchmark once, carries out work
 * through its {@link ContainerRuntime} and reports each result. Heartbeats (the last
 * {@value #MAX_UNACKED_HEARTBEATS}), reports and the benchmark stay queued until acknowledged and
 * are resent after a reconnect (with backoff from 0.5 s up to 30 s); node-service counts each
 * once. A frame node-service rejects is dropped and its reason logged; a refused token or machine
 * ends the agent with the reason.
 */
public final class HostAgent implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HostAgent.class.getName());
    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();
    static final int MAX_UNACKED_HEARTBEATS = 720;

    /**
     * What the agent reports where it cannot read real hardware: the number of GPUs and their
     * model, and the DLPerf per GPU its benchmark measured (a decimal string, or null for none).
     */
    public record Simulation(int gpus, String gpuModel, String benchmarkDlperfPerGpu) {}

    private final URI channel;
    private final String machineId;
    private final String token;
    private final ContainerRuntime runtime;
    private final GpuProbe gpus;
    private final String bootId = UUID.randomUUID().toString();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("agent-beat"));
    private final ExecutorService workers = Executors.newFixedThreadPool(4, daemon("agent-work"));
    private final ExecutorService sender = Executors.newSingleThreadExecutor(daemon("agent-send"));
    private final Map<Long, AgentMessage.Heartbeat> unackedBeats = new ConcurrentHashMap<>();
    private final Map<String, AgentMessage.Report> unackedReports = new ConcurrentHashMap<>();
    private final Map<String, AgentMessage.Report> done = new ConcurrentHashMap<>();
    private final String benchmarkDlperf;
    private final String benchmarkId = UUID.randomUUID().toString();
    private volatile boolean benchmarkAcknowledged;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile WebSocket socket;
    private volatile String refusal;
    private volatile boolean closed;
    private volatile boolean welcomed;
    private ScheduledFuture<?> beating;
    private long seq;
    private long backoffMillis = 500;

    public HostAgent(URI gateway, String machineId, String token, ContainerRuntime runtime, int simulatedGpus) {
        this(gateway, machineId, token, runtime, new Simulation(simulatedGpus, null, null));
    }

    public HostAgent(URI gateway, String machineId, String token, ContainerRuntime runtime, Simulation simulation) {
        String scheme = gateway.getScheme().equals("https") ? "wss" : "ws";
        this.channel = URI.create(scheme + "://" + gateway.getAuthority() + "/api/v1/agent");
        this.machineId = machineId;
        this.token = token;
        this.runtime = runtime;
        this.gpus = new GpuProbe(simulation.gpus(), simulation.gpuModel());
        this.benchmarkDlperf = simulation.benchmarkDlperfPerGpu();
    }

    /** Makes a simulated GPU report a fault, or recover with null. */
    public void simulateGpuFault(int gpu, String reason) {
        gpus.simulateFault(gpu, reason);
    }

    /** Heartbeats sent and not yet acknowledged. */
    public int unacknowledgedHeartbeats() {
        return unackedBeats.size();
    }

    /** Connects in the background and keeps connected until {@link #close()} or a refusal. */
    public HostAgent start() {
        connect();
        return this;
    }

    /** True once node-service has welcomed this agent on the current connection. */
    public boolean connected() {
        return welcomed && socket != null;
    }

    /** Blocks until the agent stops; returns the refusal reason, or null after a normal close. */
    public String awaitEnd() throws InterruptedException {
        finished.await();
        return refusal;
    }

    private void connect() {
        if (closed) {
            return;
        }
        http.newWebSocketBuilder().header("Authorization", "Bearer " + token).connectTimeout(Duration.ofSeconds(10))
                .buildAsync(channel, new Listener())
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        LOG.log(Level.FINE, "cannot reach " + channel + ": " + error.getMessage());
                        reconnectLater();
                    } else {
                        socket = ws;
                        backoffMillis = 500;
                        send(new AgentMessage.Hello(machineId, bootId, "0.1.0"));
                    }
                });
    }

    private void reconnectLater() {
        welcomed = false;
        socket = null;
        if (closed) {
            return;
        }
        long delay = backoffMillis;
        backoffMillis = Math.min(backoffMillis * 2, 30_000);
        scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void onMessage(AgentMessage message) {
        if (message instanceof AgentMessage.Welcome w) {
            welcomed = true;
            unackedBeats.values().stream().sorted(java.util.Comparator.comparingLong(AgentMessage.Heartbeat::seq))
                    .forEach(this::send);
            unackedReports.values().forEach(this::send);
            if (benchmarkDlperf != null && !benchmarkAcknowledged) {
                send(new AgentMessage.Benchmark(benchmarkId, gpus.model(), benchmarkDlperf));
            }
            synchronized (this) {
                if (beating != null) {
                    beating.cancel(false);
                }
                int every = Math.max(1, w.heartbeatIntervalSeconds());
                beating = scheduler.scheduleAtFixedRate(this::beat, 0, every, TimeUnit.SECONDS);
            }
        } else if (message instanceof AgentMessage.Work work) {
            AgentMessage.Report earlier = done.get(work.workId());
            if (earlier != null) {
                send(earlier);
                return;
            }
            workers.execute(() -> {
                ContainerRuntime.Result result = runtime.apply(work);
                var report = new AgentMessage.Report(work.workId(), work.instanceId(), result.state(), result.detail(),
                        result.access());
                done.put(work.workId(), report);
                unackedReports.put(work.workId(), report);
                send(report);
            });
        } else if (message instanceof AgentMessage.Ack ack) {
            if (ack.seq() != null) {
                unackedBeats.remove(ack.seq());
            }
            if (ack.workId() != null) {
                unackedReports.remove(ack.workId());
            }
            if (benchmarkId.equals(ack.benchmarkId())) {
                benchmarkAcknowledged = true;
            }
        } else if (message instanceof AgentMessage.Rejected r) {
            LOG.warning("node-service rejected a frame: " + r.reason());
            if (r.seq() != null) {
                unackedBeats.remove(r.seq());
            }
            if (benchmarkId.equals(r.benchmarkId())) {
                benchmarkAcknowledged = true;
            }
        } else if (message instanceof AgentMessage.Refused r) {
            refusal = r.reason();
            LOG.severe("the gateway refused this agent: " + r.reason());
            close();
        }
    }

    private synchronized void beat() {
        var hb = new AgentMessage.Heartbeat(++seq, Instant.now(), gpus.read(), gpus.driverVersion(),
                gpus.cudaVersion(), new File("/").getUsableSpace() / 1_000_000_000L, runtime.running(),
                runtime.traffic());
        unackedBeats.put(hb.seq(), hb);
        if (unackedBeats.size() > MAX_UNACKED_HEARTBEATS) {
            unackedBeats.keySet().stream().min(Long::compare).ifPresent(unackedBeats::remove);
        }
        send(hb);
    }

    private void send(AgentMessage message) {
        String frame;
        try {
            frame = JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        sender.execute(() -> {
            WebSocket ws = socket;
            if (ws == null) {
                return;
            }
            try {
                ws.sendText(frame, true).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.log(Level.FINE, "send failed; will resend after reconnecting", e);
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        WebSocket ws = socket;
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "agent stopping");
        }
        scheduler.shutdownNow();
        workers.shutdownNow();
        sender.shutdown();
        finished.countDown();
    }

    private final class Listener extends AgentFrameListener {
        @Override
        protected void onFrame(String frame) {
            try {
                onMessage(JSON.readValue(frame, AgentMessage.class));
            } catch (JsonProcessingException e) {
                LOG.warning("unreadable frame from the gateway: " + e.getOriginalMessage());
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            if (statusCode == 4403 && refusal == null) {
                refusal = reason;
                close();
            } else {
                reconnectLater();
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            reconnectLater();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
