package io.gpumarket.bench;

import io.gpumarket.events.EventMeta;
import io.gpumarket.events.agent.AgentFrameListener;
import io.gpumarket.events.heartbeat.HeartbeatEvent.ContainerTraffic;
import io.gpumarket.events.heartbeat.HeartbeatEvent.GpuReading;
import io.gpumarket.events.heartbeat.HeartbeatEvent.HeartbeatReceived;
import io.gpumarket.events.serde.EventJson;
import io.gpumarket.stack.DemoHost;
import io.gpumarket.stack.Http;
import io.gpumarket.stack.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The heartbeat stream end to end, on a local stack started for the run: {@code --agents}
 * machines registered through the gateway, one simulated agent WebSocket each through the gateway
 * to node-service, each keeping {@code --in-flight} heartbeats unacknowledged (agents beating as
 * fast as the system acknowledges, far faster than real ones). Counts heartbeats acknowledged
 * (on the log) and applied by node-service's heartbeat projection per second, the CPU each process
 * used, and, in the same run, Kafka's own producer perf tool at the same record size.
 */
@Command(name = "heartbeats", mixinStandardHelpOptions = true,
        description = "Heartbeats/s from agents through the gateway and node-service into Kafka and the projection, "
                + "vs kafka-producer-perf-test.")
final class HeartbeatBench implements Callable<Integer> {
    @Option(names = "--agents", defaultValue = "500", description = "simulated agents, one machine each")
    int agents;

    @Option(names = "--in-flight", defaultValue = "64", description = "unacknowledged heartbeats per agent")
    int inFlight;

    @Option(names = "--seconds", defaultValue = "30", description = "measured seconds")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "20")
    int warmupSeconds;

    @Option(names = "--perf-records", defaultValue = "3000000", description = "records for the producer perf tool")
    long perfRecords;

    @Option(names = "--out", defaultValue = "bench/results/heartbeats.json")
    Path out;

    @Option(names = "--keep", description = "keep the run directory (logs)")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        return BenchRun.run("heartbeats", keep, out, (stack, runDir, report) -> {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<String[]> machines = register(new Http(stack.gateway()), pool);
                report.put("setup", Map.of("agents", agents, "inFlightPerAgent", inFlight, "gpusPerMachine", 4,
                        "agentFrameBytes", frame(1, Instant.now()).length(), "eventRecordBytes", recordBytes()));
                List<SimulatedAgent> fleet = connect(stack.gateway(), machines);
                report.put("endToEnd", measure(stack, fleet));
                fleet.forEach(SimulatedAgent::stop);
                report.put("kafkaProducerPerf", ProducerPerf.run(BenchRun.home(), stack.kafkaBootstrapServers(),
                        perfRecords, recordBytes()));
                report.put("comparison", compare(report));
            } finally {
                pool.shutdownNow();
            }
        });
    }

    /** One host, {@code agents} sound 4-GPU machines through the gateway; returns [id, token] pairs. */
    private List<String[]> register(Http http, ExecutorService pool) throws Exception {
        String hostKey = http.post("/api/v1/accounts", null, Map.of("name", "bench host", "email", "bench@example.com",
                "role", "host")).expect(201).text("apiKey");
        List<CompletableFuture<String[]>> futures = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            int n = i;
            futures.add(CompletableFuture.supplyAsync(() -> {
                var r = http.post("/api/v1/machines", hostKey, DemoHost.machineSpec("rig-" + n, 4)).expect(201);
                return new String[] {r.text("id"), r.text("agentToken")};
            }, pool));
        }
        List<String[]> out = new ArrayList<>();
        for (var f : futures) {
            out.add(f.get());
        }
        return out;
    }

    private List<SimulatedAgent> connect(URI gateway, List<String[]> machines) throws Exception {
        HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build();
        URI channel = URI.create("ws://" + gateway.getAuthority() + "/api/v1/agent");
        List<SimulatedAgent> fleet = new ArrayList<>();
        for (String[] m : machines) {
            fleet.add(new SimulatedAgent(client, channel, m[0], m[1], inFlight));
        }
        for (SimulatedAgent a : fleet) {
            a.welcomed.get(60, TimeUnit.SECONDS);
        }
        fleet.forEach(SimulatedAgent::beat);
        return fleet;
    }

    private Map<String, Object> measure(LocalStack stack, List<SimulatedAgent> fleet) throws Exception {
        Thread.sleep(warmupSeconds * 1000L);
        long acked0 = acked(fleet);
        long applied0 = applied(stack);
        CpuClock cpu = CpuClock.start(stack, List.of("node-service", "gateway"), "simulated agents");
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long acked1 = acked(fleet);
        long applied1 = applied(stack);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> cpuUse = cpu.stop();
        long rejected = fleet.stream().mapToLong(a -> a.rejected.get()).sum();
        // how far the projection is behind when the agents stop
        fleet.forEach(SimulatedAgent::stop);
        long stopped = acked(fleet);
        long caughtUpBy = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (applied(stack) < stopped && System.nanoTime() < caughtUpBy) {
            Thread.sleep(100);
        }
        double lagSeconds = (System.nanoTime() - (caughtUpBy - Duration.ofSeconds(120).toNanos())) / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("measuredSeconds", Math.round(elapsed * 10) / 10.0);
        out.put("heartbeatsAcknowledgedPerSecond", Math.round((acked1 - acked0) / elapsed));
        out.put("heartbeatsProjectedPerSecond", Math.round((applied1 - applied0) / elapsed));
        out.put("rejected", rejected);
        out.put("secondsForTheProjectionToCatchUpAfterTheAgentsStopped", Math.round(lagSeconds * 10) / 10.0);
        out.put("cpu", cpuUse);
        return out;
    }

    private static long acked(List<SimulatedAgent> fleet) {
        return fleet.stream().mapToLong(a -> a.acked.get()).sum();
    }

    /** Heartbeats counted by node-service's heartbeat projection, all machines. */
    private static long applied(LocalStack stack) throws Exception {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl("node"), "postgres", "");
                ResultSet r = c.createStatement().executeQuery("SELECT coalesce(sum(beats), 0) FROM machine_heartbeat")) {
            r.next();
            return r.getLong(1);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compare(Map<String, Object> report) {
        Map<String, Object> ours = (Map<String, Object>) report.get("endToEnd");
        Map<String, Object> perf = (Map<String, Object>) report.get("kafkaProducerPerf");
        long projected = (Long) ours.get("heartbeatsProjectedPerSecond");
        double raw = ((Number) perf.get("recordsPerSecond")).doubleValue();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("target", 50_000);
        out.put("projectedPerSecond", projected);
        out.put("kafkaProducerPerfRecordsPerSecond", Math.round(raw));
        out.put("ratioToKafkaProducerPerf", Math.round(projected / raw * 1000) / 1000.0);
        out.put("targetMet", projected >= 50_000);
        return out;
    }

    /** A heartbeat as the agents send it: 4 GPUs, versions, disk, 2 running containers and their traffic. */
    static String frame(long seq, Instant at) {
        return "{\"type\":\"heartbeat\",\"seq\":" + seq + ",\"sampledAt\":\"" + at + "\",\"gpus\":["
                + "{\"index\":0,\"utilizationPercent\":97,\"memoryUsedMb\":20123,\"temperatureC\":71},"
                + "{\"index\":1,\"utilizationPercent\":96,\"memoryUsedMb\":20050,\"temperatureC\":70},"
                + "{\"index\":2,\"utilizationPercent\":12,\"memoryUsedMb\":1024,\"temperatureC\":45},"
                + "{\"index\":3,\"utilizationPercent\":0,\"memoryUsedMb\":0,\"temperatureC\":38}],"
                + "\"driverVersion\":\"550.54.15\",\"cudaVersion\":\"12.4\",\"diskFreeGb\":1500,"
                + "\"runningInstanceIds\":[\"7f1c2a9e-1b7e-4c55-9a50-0d6c3b0f6a11\",\"0b8e4d52-93c4-4c8e-8f0e-5b7f2e9d4c21\"],"
                + "\"traffic\":[{\"instanceId\":\"7f1c2a9e-1b7e-4c55-9a50-0d6c3b0f6a11\",\"rxBytes\":123456789,"
                + "\"txBytes\":2345678},{\"instanceId\":\"0b8e4d52-93c4-4c8e-8f0e-5b7f2e9d4c21\",\"rxBytes\":987654,"
                + "\"txBytes\":12345}]}";
    }

    /** The size of the heartbeat event node-service writes for such a frame. */
    static int recordBytes() {
        var event = new HeartbeatReceived(EventMeta.of(UUID.randomUUID(), UUID.randomUUID().toString(), 0,
                Instant.now()), UUID.randomUUID().toString(), 1, Instant.now(),
                List.of(new GpuReading(0, 97, 20123, 71, null), new GpuReading(1, 96, 20050, 70, null),
                        new GpuReading(2, 12, 1024, 45, null), new GpuReading(3, 0, 0, 38, null)),
                "550.54.15", "12.4", 1500L, List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString()),
                List.of(new ContainerTraffic(UUID.randomUUID().toString(), 123456789, 2345678),
                        new ContainerTraffic(UUID.randomUUID().toString(), 987654, 12345)));
        return EventJson.write(event).length;
    }

    /** One machine's agent: hello, then a heartbeat for every acknowledgement, {@code inFlight} ahead. */
    static final class SimulatedAgent extends AgentFrameListener {
        final CompletableFuture<Void> welcomed = new CompletableFuture<>();
        final AtomicLong acked = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        private final int inFlight;
        private final WebSocket socket;
        private long seq;
        private volatile boolean stopped;
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

        SimulatedAgent(HttpClient client, URI channel, String machineId, String token, int inFlight) throws Exception {
            this.inFlight = inFlight;
            this.socket = client.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                    .buildAsync(channel, this).get(30, TimeUnit.SECONDS);
            send("{\"type\":\"hello\",\"machineId\":\"" + machineId + "\",\"bootId\":\"" + UUID.randomUUID() + "\"}");
        }

        void beat() {
            for (int i = 0; i < inFlight; i++) {
                next();
            }
        }

        private synchronized void next() {
            if (!stopped) {
                send(frame(++seq, Instant.now()));
            }
        }

        /** The JDK WebSocket takes one send at a time: each waits for the one before. */
        private synchronized void send(String text) {
            sending = sending.thenCompose(v -> socket.sendText(text, true));
        }

        void stop() {
            stopped = true;
        }

        @Override
        protected void onFrame(String frame) {
            if (frame.startsWith("{\"type\":\"ack\"")) {
                acked.incrementAndGet();
                next();
            } else if (frame.contains("\"welcome\"")) {
                welcomed.complete(null);
            } else if (frame.contains("\"rejected\"") || frame.contains("\"refused\"")) {
                rejected.incrementAndGet();
                System.err.println("agent frame refused: " + frame);
                next();
            }
        }
    }
}
