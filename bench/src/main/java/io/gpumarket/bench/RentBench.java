package io.gpumarket.bench;

import io.gpumarket.events.agent.AgentMessage;
import io.gpumarket.events.heartbeat.HeartbeatEvent.GpuReading;
import io.gpumarket.events.machine.ContainerState;
import io.gpumarket.events.offer.OfferIds;
import io.gpumarket.events.serde.EventJson;
import io.gpumarket.stack.DemoHost;
import io.gpumarket.stack.Http;
import io.gpumarket.stack.LocalStack;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench/run rentals}: rents at a fixed rate through the gateway, on {@code --machines}
 * machines whose simulated agents acknowledge work at once, and terminates each instance as soon
 * as it is online, so the load stays steady. Measures, from each rent's scheduled start (open loop,
 * so a slow system cannot slow the load down): the {@code POST /instances} answer (it waits for the
 * decision) and the {@code online} status on the log; the CPU each process used; and, in the same
 * run, Kafka's own end-to-end latency tool (produce, then consume, one record at a time). The
 * clients and the simulated agents share one Vert.x event loop, so the harness takes as little as it
 * can of the cores it measures.
 */
@Command(name = "rentals", mixinStandardHelpOptions = true,
        description = "Rents per second to online through the gateway, vs Kafka's end-to-end latency tool.")
final class RentBench implements Callable<Integer> {
    @Option(names = "--rate", defaultValue = "200", description = "rents started per second")
    int rate;

    @Option(names = "--seconds", defaultValue = "60", description = "measured seconds")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "60", description = "least warm-up under load")
    int warmupSeconds;

    @Option(names = "--max-warmup-seconds", defaultValue = "600",
            description = "most warm-up: past the least, it lasts until the JIT compilers have settled")
    int maxWarmupSeconds;

    @Option(names = "--settled-jit-cores", defaultValue = "0.1",
            description = "the stack's JVMs compile less than this (cores, over 20 s) when the JIT has settled")
    double settledJitCores;

    @Option(names = "--machines", defaultValue = "100", description = "4-GPU machines rented one GPU at a time")
    int machines;

    @Option(names = "--clients", defaultValue = "200", description = "client accounts the rents rotate over")
    int clients;

    @Option(names = "--latency-records", defaultValue = "5000", description = "records for Kafka's end-to-end latency tool")
    int latencyRecords;

    @Option(names = "--out", defaultValue = "bench/results/rentals.json")
    Path out;

    @Option(names = "--keep", description = "keep the run directory (logs)")
    boolean keep;

    /** The clients' and the agents' one event loop; closing it closes their connections. */
    private Vertx vertx;
    /** HTTP/1.1, as a load balancer's clients speak it: no h2c upgrade, a connection per call in flight. */
    private HttpClient client;
    private final Map<String, Long> startedAt = new ConcurrentHashMap<>();
    private final Map<String, String> instanceKey = new ConcurrentHashMap<>();
    /** Instances seen online before their POST was answered (the status can overtake the answer). */
    private final Map<String, Long> onlineBeforeAnswer = new ConcurrentHashMap<>();
    private final Latencies answered = new Latencies();
    private final Latencies online = new Latencies();
    private final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> refusedWarmingUp = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failuresWarmingUp = new ConcurrentHashMap<>();
    private volatile boolean measuring;
    private URI gateway;

    @Override
    public Integer call() throws Exception {
        return BenchRun.run("rentals", keep, out, (stack, runDir, report) -> {
            gateway = stack.gateway();
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                    .setInternalBlockingPoolSize(1));
            client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(gateway.getHost())
                    .setDefaultPort(gateway.getPort()).setConnectTimeout(5_000), new PoolOptions().setHttp1MaxSize(512));
            Http http = new Http(gateway);
            ExecutorService setup = Executors.newFixedThreadPool(16);
            List<Agent> agents = new ArrayList<>();
            try {
                String hostKey = http.post("/api/v1/accounts", null, Map.of("name", "bench host", "email",
                        "host@example.com", "role", "host")).expect(201).text("apiKey");
                // Vert.x opens at most 50 WebSockets to one server unless told: one per machine here
                WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(machines));
                List<String> machineIds = new ArrayList<>();
                List<String> tokens = new ArrayList<>();
                for (int i = 0; i < machines; i++) {
                    var m = http.post("/api/v1/machines", hostKey, DemoHost.machineSpec("rig-" + i, 4)).expect(201);
                    machineIds.add(m.text("id"));
                    tokens.add(m.text("agentToken"));
                }
                for (int i = 0; i < machines; i++) {
                    agents.add(new Agent(vertx, ws, gateway, machineIds.get(i), tokens.get(i)));
                }
                for (Agent a : agents) {
                    a.welcomed.get(60, TimeUnit.SECONDS);
                }
                awaitOnline(http, hostKey, machineIds);
                for (String id : machineIds) {
                    http.put("/api/v1/machines/" + id + "/listing", hostKey, DemoHost.listing("0.400000")).expect(200);
                }
                List<String> keys = openClients(http, setup);
                // the raw limit first, on the idle broker
                report.put("kafkaEndToEndLatency", EndToEndLatency.run(BenchRun.home(), stack.kafkaBootstrapServers(),
                        latencyRecords, 1024));
                report.put("kafkaTransactionalHop", TransactionalHop.run(stack.kafkaBootstrapServers(),
                        latencyRecords / 5, 1024));
                report.put("setup", Map.of("ratePerSecond", rate, "machines", machines, "gpusPerMachine", 4,
                        "clients", clients, "rentedGpusEach", 1, "agent", "simulated: acknowledges work at once"));
                try (var timeline = new RentTimeline(stack.kafkaBootstrapServers(), this::wentOnline)) {
                    timeline.start();
                    report.put("rentToOnline", load(stack, machineIds, keys, timeline));
                }
                report.put("comparison", compare(report));
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                setup.shutdownNow();
            }
        });
    }

    private void awaitOnline(Http http, String hostKey, List<String> ids) throws InterruptedException {
        for (String id : ids) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!http.get("/api/v1/machines/" + id, hostKey).expect(200).body().get("online").asBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("machine " + id + " did not come online");
                }
                Thread.sleep(100);
            }
        }
    }

    private List<String> openClients(Http http, ExecutorService pool) throws Exception {
        List<CompletableFuture<String>> keys = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int n = i;
            keys.add(CompletableFuture.supplyAsync(() -> {
                String key = http.post("/api/v1/accounts", null, Map.of("name", "client " + n, "email",
                        "client" + n + "@example.com", "role", "client")).expect(201).text("apiKey");
                http.post("/api/v1/account/deposits", key, Map.of("amount", "10000")).expect(201);
                return key;
            }, pool));
        }
        List<String> out = new ArrayList<>();
        for (var k : keys) {
            out.add(k.get());
        }
        return out;
    }

    /** Starts {@code rate} rents per second for the warm-up and the measured seconds, round robin over machines and clients. */
    private Map<String, Object> load(LocalStack stack, List<String> machineIds, List<String> keys, RentTimeline timeline)
            throws Exception {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long periodNanos = 1_000_000_000L / rate;
        long t0 = System.nanoTime();
        AtomicLong n = new AtomicLong();
        ticker.scheduleAtFixedRate(() -> {
            long i = n.getAndIncrement();
            rent(t0 + i * periodNanos, OfferIds.of(machineIds.get((int) (i % machineIds.size())), 1),
                    keys.get((int) (i % keys.size())));
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        List<String> services = List.of("gateway", "rental-service", "node-service", "offer-service", "billing-service");
        JitClock jit = new JitClock(jvms(stack, services));
        try (BrokerCounters broker = BrokerCounters.attach(stack.process("kafka").orElseThrow())) {
            return measure(stack, services, ticker, n, jit, warmUp(jit, t0), broker, timeline);
        }
    }

    /** The measured seconds, after the warm-up: latencies, refusals and failures, CPU, the broker's counts, the hops. */
    private Map<String, Object> measure(LocalStack stack, List<String> services, ScheduledExecutorService ticker,
            AtomicLong n, JitClock jit, Map<String, Object> warmUp, BrokerCounters broker, RentTimeline timeline)
            throws Exception {
        measuring = true;
        Map<String, Long> broker0 = broker.snapshot();
        CpuClock cpu = CpuClock.start(stack, services, "load generator and simulated agents");
        Map<String, Double> jit0 = jit.seconds();
        long m0 = System.nanoTime();
        long m0Millis = System.currentTimeMillis();
        long started0 = n.get();
        Thread.sleep(seconds * 1000L);
        double elapsed = (System.nanoTime() - m0) / 1e9;
        long m1Millis = System.currentTimeMillis();
        long started = n.get() - started0;
        measuring = false;
        Map<String, Object> cpuUse = cpu.stop();
        Map<String, Object> brokerUse = BrokerCounters.perRent(broker0, broker.snapshot(), started);
        Map<String, Object> jitUse = JitClock.cores(jit0, jit.seconds(), elapsed);
        ticker.shutdownNow();
        Thread.sleep(5_000);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("warmUp", warmUp);
        result.put("measuredSeconds", Latencies.round(elapsed));
        result.put("rentsStartedPerSecond", Latencies.round(started / elapsed));
        synchronized (this) {
            result.put("postAnswered", answered.summary(elapsed));
            result.put("online", online.summary(elapsed));
        }
        result.put("hopsOnTheLog", timeline.hops(m0Millis, m1Millis));
        result.put("refused", new java.util.TreeMap<>(refused));
        result.put("refusedWhileWarmingUp", new java.util.TreeMap<>(refusedWarmingUp));
        result.put("failed", new java.util.TreeMap<>(failures));
        result.put("failedWhileWarmingUp", new java.util.TreeMap<>(failuresWarmingUp));
        result.put("cpu", cpuUse);
        jitUse.put("unit", "cores the JIT compilers used on average while measuring (part of cpu)");
        result.put("jitCompiling", jitUse);
        brokerUse.put("note", "what the broker counted while measuring, per rent started (JMX): records appended by topic,"
                + " transaction markers and the internal topics included, and requests handled by type");
        result.put("brokerPerRent", brokerUse);
        return result;
    }

    /** The JVMs whose compilers the warm-up waits for: the broker, the services and this one. */
    private static Map<String, List<ProcessHandle>> jvms(LocalStack stack, List<String> services) {
        Map<String, List<ProcessHandle>> jvms = new LinkedHashMap<>();
        jvms.put("kafka", stack.process("kafka").stream().toList());
        services.forEach(s -> jvms.put(s, stack.process(s).stream().toList()));
        jvms.put("bench JVM", List.of(ProcessHandle.current()));
        return jvms;
    }

    /**
     * Keeps the load on for at least {@code --warmup-seconds}, then until the stack's JIT compilers
     * used less than {@code --settled-jit-cores} over the last 20 s (C2 is still compiling the hot
     * paths minutes into a run on two cores, and competes with the load for them), or until
     * {@code --max-warmup-seconds}.
     */
    private Map<String, Object> warmUp(JitClock jit, long t0) throws InterruptedException {
        Thread.sleep(warmupSeconds * 1000L);
        double window = 20;
        double lastCores;
        do {
            double before = JitClock.total(jit.seconds());
            Thread.sleep((long) (window * 1000));
            lastCores = (JitClock.total(jit.seconds()) - before) / window;
        } while (lastCores >= settledJitCores && (System.nanoTime() - t0) / 1e9 + window <= maxWarmupSeconds);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seconds", Latencies.round((System.nanoTime() - t0) / 1e9));
        out.put("jitSettled", lastCores < settledJitCores);
        out.put("jitCoresLast20Seconds", Math.round(lastCores * 1000) / 1000.0);
        return out;
    }

    /** A response read whole: its status and its body. */
    private record Answer(int statusCode, String body) {}

    private Future<Answer> call(HttpMethod method, String path, String key, String body) {
        var options = new RequestOptions().setMethod(method).setURI(path).putHeader("Authorization", "Bearer " + key);
        return client.request(options).compose(request -> {
            Future<io.vertx.core.http.HttpClientResponse> sent = body == null ? request.send()
                    : request.putHeader("Content-Type", "application/json").send(body);
            return sent.compose(r -> r.body().map(b -> new Answer(r.statusCode(), b.toString())));
        });
    }

    private void rent(long scheduledAt, String offerId, String key) {
        var body = "{\"offerId\":\"" + offerId + "\",\"image\":\"busybox\",\"diskGb\":8,\"launchMode\":\"args\"}";
        call(HttpMethod.POST, "/api/v1/instances", key, body).onComplete(answer -> {
            long took = System.nanoTime() - scheduledAt;
            Throwable e = answer.cause();
            Answer r = answer.result();
            if (e != null || r.statusCode() >= 500) {
                String why = e != null ? rootCause(e) : "HTTP " + r.statusCode() + problemDetail(r.body());
                (measuring ? failures : failuresWarmingUp).computeIfAbsent(why, k -> new AtomicLong()).incrementAndGet();
            } else if (r.statusCode() == 202) {
                String id = r.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
                record(answered, took);
                Long seen;
                synchronized (this) {
                    startedAt.put(id, scheduledAt);
                    instanceKey.put(id, key);
                    seen = onlineBeforeAnswer.remove(id);
                }
                if (seen != null) {
                    wentOnline(id, seen);
                }
            } else {
                String reason = r.body().matches("(?s).*\"detail\":\"([a-z_]+).*")
                        ? r.body().replaceAll("(?s).*\"detail\":\"([a-z_]+).*", "$1") : "HTTP " + r.statusCode();
                (measuring ? refused : refusedWarmingUp).computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
            }
        });
    }

    /** The problem's {@code detail} without ids, so that failures of one kind count together. */
    private static String problemDetail(String body) {
        var m = java.util.regex.Pattern.compile("\"detail\":\"([^\"]{0,120})").matcher(body);
        return m.find() ? ": " + m.group(1).replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "{id}") : "";
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? "" : ": " + t.getMessage();
        return t.getClass().getSimpleName() + message.substring(0, Math.min(message.length(), 80));
    }

    private synchronized void record(Latencies l, long nanos) {
        if (measuring) {
            l.add(nanos);
        }
    }

    /**
     * An instance is online: its latency counts, and it is terminated at once; if its POST has not
     * been answered yet, that happens when the answer arrives.
     */
    private void wentOnline(String instanceId, long seenAt) {
        Long start;
        String key;
        synchronized (this) {
            start = startedAt.remove(instanceId);
            key = instanceKey.remove(instanceId);
            if (start == null || key == null) {
                onlineBeforeAnswer.put(instanceId, seenAt);
                return;
            }
        }
        record(online, seenAt - start);
        terminate(instanceId, key, 1);
    }

    /**
     * Deletes an instance, again after a pause while the API does not know it yet (404: its read
     * model lags the log under load) or a previous attempt failed, so no instance outlives the run
     * holding its GPUs.
     */
    private void terminate(String instanceId, String key, int attempt) {
        call(HttpMethod.DELETE, "/api/v1/instances/" + instanceId, key, null).onComplete(answer -> {
            boolean deleted = answer.succeeded() && answer.result().statusCode() == 202;
            if (!deleted && attempt < 50) {
                vertx.setTimer(200, t -> terminate(instanceId, key, attempt + 1));
            } else if (!deleted) {
                (measuring ? failures : failuresWarmingUp).computeIfAbsent("terminate", k -> new AtomicLong())
                        .incrementAndGet();
            }
        });
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> compare(Map<String, Object> report) {
        Map<String, Object> ours = (Map<String, Object>) ((Map<String, Object>) report.get("rentToOnline")).get("online");
        Map<String, Object> kafka = (Map<String, Object>) report.get("kafkaEndToEndLatency");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("target", "p50 <= 25 ms, p99 <= 100 ms at " + rate + " rents/s");
        out.put("onlineP50Ms", ours.get("p50Ms"));
        out.put("onlineP99Ms", ours.get("p99Ms"));
        out.put("kafkaEndToEndP50Ms", kafka.get("p50Ms"));
        out.put("kafkaEndToEndP99Ms", kafka.get("p99Ms"));
        Map<String, Object> hop = (Map<String, Object>) report.get("kafkaTransactionalHop");
        out.put("kafkaTransactionalHopP50Ms", hop.get("p50Ms"));
        out.put("kafkaTransactionalHopP99Ms", hop.get("p99Ms"));
        out.put("hopsInARent", "two transactional hops (request with its decision and placement;"
                + " online status) and one without a transaction (agent's report)");
        out.put("targetMet", ((Number) ours.get("p50Ms")).doubleValue() <= 25
                && ((Number) ours.get("p99Ms")).doubleValue() <= 100);
        return out;
    }

    /**
     * A machine's agent that does every piece of work at once and beats at the interval it is told,
     * on the harness's event loop: its frames are handled and sent there in order.
     */
    private static final class Agent {
        final CompletableFuture<Void> welcomed = new CompletableFuture<>();
        private final Vertx vertx;
        private final WebSocket socket;
        private final AtomicLong seq = new AtomicLong();

        Agent(Vertx vertx, WebSocketClient client, URI gateway, String machineId, String token) throws Exception {
            this.vertx = vertx;
            socket = client.connect(new WebSocketConnectOptions().setHost(gateway.getHost()).setPort(gateway.getPort())
                    .setURI("/api/v1/agent").addHeader("Authorization", "Bearer " + token))
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            socket.textMessageHandler(this::onFrame);
            send(new AgentMessage.Hello(machineId, UUID.randomUUID().toString(), "bench"));
        }

        private void onFrame(String frame) {
            AgentMessage m;
            try {
                m = EventJson.mapper().readValue(frame, AgentMessage.class);
            } catch (java.io.IOException e) {
                return;
            }
            if (m instanceof AgentMessage.Welcome w && !welcomed.isDone()) {
                beat();
                vertx.setPeriodic(TimeUnit.SECONDS.toMillis(w.heartbeatIntervalSeconds()), t -> beat());
                welcomed.complete(null);
            } else if (m instanceof AgentMessage.Work w) {
                ContainerState done = switch (w.action()) {
                    case START, RESTART, UPDATE_KEYS -> ContainerState.RUNNING;
                    case STOP -> ContainerState.STOPPED;
                    case TERMINATE -> ContainerState.REMOVED;
                };
                send(new AgentMessage.Report(w.workId(), w.instanceId(), done, "bench"));
            }
        }

        private void beat() {
            List<GpuReading> gpus = List.of(new GpuReading(0, 0, 0, 40, null), new GpuReading(1, 0, 0, 40, null),
                    new GpuReading(2, 0, 0, 40, null), new GpuReading(3, 0, 0, 40, null));
            send(new AgentMessage.Heartbeat(seq.incrementAndGet(), Instant.now(), gpus, "550.54.15", "12.4", 1500L,
                    List.of(), List.of()));
        }

        private void send(AgentMessage message) {
            try {
                socket.writeTextMessage(EventJson.mapper().writerFor(AgentMessage.class).writeValueAsString(message));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
