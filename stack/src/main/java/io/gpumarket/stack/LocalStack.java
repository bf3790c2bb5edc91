package io.gpumarket.stack;

import io.gpumarket.events.kafka.TopicSetup;
import io.gpumarket.testsupport.Databases;
import io.gpumarket.testsupport.FreePorts;
import io.gpumarket.testsupport.InJvmKafka;
import io.gpumarket.testsupport.LocalPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * The whole marketplace on this machine, without Docker: PostgreSQL from its installed binaries,
 * a Kafka broker process from Kafka's own jars, the registry's topics, and every service from its
 * packaged jar, each JVM with an explicit heap, logs under {@code <run dir>/logs}. What it started
 * is written to {@code <run dir>/stack.properties} so {@link #down(Path)} can stop it by PID.
 */
public final class LocalStack {
    /** The services in start order, with their default ports, databases and heaps. */
    public enum Svc {
        BILLING("billing-service", 8081, "billing", "384m"),
        NODE("node-service", 8082, "node", "192m"),
        OFFER("offer-service", 8083, "offer", "192m"),
        RENTAL("rental-service", 8084, "rental", "256m"),
        GATEWAY("gateway", 8080, "gateway", "192m");

        final String module;
        final int defaultPort;
        final String database;
        final String heap;

        Svc(String module, int defaultPort, String database, String heap) {
            this.module = module;
            this.defaultPort = defaultPort;
            this.database = database;
            this.heap = heap;
        }
    }

    /**
     * {@code fastStart}: services start with the client compiler only (quick to start, for tests and
     * the local stack); a benchmark turns it off so they run fully compiled. {@code adjustableClocks}:
     * rental-service and billing-service run on clocks an operator can move forward (end-to-end
     * tests of metering, suspension grace and payouts; never for a real marketplace).
     * {@code rateLimited}: the gateway enforces its request budgets; a benchmark that measures
     * capacity from one address and a few keys turns them off. {@code replicas}: processes per
     * service (the gateway spreads calls over a service's replicas).
     */
    public record Options(Path home, Path runDir, boolean freePorts, String operatorKey, boolean fastStart,
            boolean adjustableClocks, boolean rateLimited, int replicas) {
        public Options(Path home, Path runDir, boolean freePorts, String operatorKey) {
            this(home, runDir, freePorts, operatorKey, true, false, true, 1);
        }

        public Options withAdjustableClocks() {
            return new Options(home, runDir, freePorts, operatorKey, fastStart, true, rateLimited, replicas);
        }

        public Options fullyCompiled() {
            return new Options(home, runDir, freePorts, operatorKey, false, adjustableClocks, rateLimited, replicas);
        }

        public Options withoutRateLimits() {
            return new Options(home, runDir, freePorts, operatorKey, fastStart, adjustableClocks, false, replicas);
        }

        /** Every service runs {@code n} processes, which share its consumer groups' partitions. */
        public Options withReplicas(int n) {
            return new Options(home, runDir, freePorts, operatorKey, fastStart, adjustableClocks, rateLimited, n);
        }
    }

    private final Options options;
    private final Properties state = new Properties();
    private final Map<Svc, List<Integer>> ports = new LinkedHashMap<>();
    private int kafkaPort;
    private int pgPort;

    private LocalStack(Options options) {
        this.options = options;
    }

    /** Starts everything and returns once every service is ready. */
    public static LocalStack up(Options options) {
        var stack = new LocalStack(options);
        try {
            stack.start();
        } catch (RuntimeException e) {
            down(options.runDir());
            throw e;
        }
        return stack;
    }

    public URI gateway() {
        return URI.create("http://localhost:" + ports.get(Svc.GATEWAY).get(0));
    }

    public String kafkaBootstrapServers() {
        return "localhost:" + kafkaPort;
    }

    /** A JDBC URL for a database of the stack's PostgreSQL. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + pgPort + "/" + database;
    }

    public int postgresPort() {
        return pgPort;
    }

    public String operatorKey() {
        return options.operatorKey();
    }

    public Path logs() {
        return options.runDir().resolve("logs");
    }

    private void start() {
        try {
            Files.createDirectories(logs());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        pgPort = options.freePorts() ? FreePorts.next() : 15432;
        kafkaPort = options.freePorts() ? FreePorts.next() : 19092;
        for (Svc s : Svc.values()) {
            List<Integer> ps = new ArrayList<>();
            for (int r = 0; r < options.replicas(); r++) {
                ps.add(options.freePorts() ? FreePorts.next() : s.defaultPort + 100 * r);
            }
            ports.put(s, ps);
        }
        Path pgDir = options.runDir().resolve("postgres");
        LocalPostgres pg = LocalPostgres.start(pgDir, pgPort);
        state.setProperty("postgres.dir", pgDir.toAbsolutePath().toString());
        save();
        for (Svc s : Svc.values()) {
            createDatabaseIfMissing(pg, s.database);
        }
        startKafka();
        TopicSetup.ensureAll(Map.of("bootstrap.servers", kafkaBootstrapServers()));
        for (Svc s : Svc.values()) {
            for (int r = 0; r < options.replicas(); r++) {
                startService(s, r);
            }
        }
        for (Svc s : Svc.values()) {
            for (int r = 0; r < options.replicas(); r++) {
                awaitReady(s, r);
            }
        }
    }

    private static void createDatabaseIfMissing(LocalPostgres pg, String name) {
        try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl("postgres"), LocalPostgres.USER, "");
                var st = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            st.setString(1, name);
            if (!st.executeQuery().next()) {
                Databases.recreate(pg.jdbcUrl("postgres"), LocalPostgres.USER, "", name);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot reach PostgreSQL", e);
        }
    }

    private void startKafka() {
        Path dir = options.runDir().resolve("kafka");
        try {
            Files.createDirectories(dir);
            Properties p = InJvmKafka.brokerProperties(dir, kafkaPort, options.freePorts() ? FreePorts.next() : 19093);
            Path props = dir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(props)) {
                p.store(out, "gpumarket local broker");
            }
            Path log4j = dir.resolve("log4j2.properties");
            try (InputStream in = LocalStack.class.getResourceAsStream("/broker-log4j2.properties")) {
                Files.copy(in, log4j, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            if (!Files.exists(dir.resolve("data/meta.properties"))) {
                Process format = new ProcessBuilder(java(), "-Xmx256m", "-cp", libClasspath(),
                        "-Dlog4j2.configurationFile=" + log4j, "kafka.tools.StorageTool", "format", "-t",
                        UUID.randomUUID().toString(), "-c", props.toString())
                        .redirectErrorStream(true).redirectOutput(logs().resolve("kafka-format.log").toFile()).start();
                if (format.waitFor() != 0) {
                    throw new IllegalStateException("formatting the Kafka log dir failed; see " + logs());
                }
            }
            Process broker = new ProcessBuilder(java(), "-Xmx384m", "-XX:+UseSerialGC",
                    "-Dlog4j2.configurationFile=" + log4j, "-cp", libClasspath(), "kafka.Kafka", props.toString())
                    .redirectErrorStream(true).redirectOutput(logs().resolve("kafka.log").toFile()).start();
            record("kafka", broker.pid());
            awaitPort(kafkaPort, Duration.ofSeconds(60), "kafka");
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Kafka", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts (or restarts) a service's first process from its packaged jar. */
    public void startService(Svc s) {
        startService(s, 0);
    }

    /** Starts (or restarts) replica {@code replica} (from 0) of a service from its packaged jar. */
    public void startService(Svc s, int replica) {
        Path jar = options.home().resolve(s.module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./mvnw -DskipTests install)");
        }
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + s.heap, "-XX:+UseSerialGC"));
        if (options.fastStart()) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs().resolve(name(s, replica) + ".log").toFile()));
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(ports.get(s).get(replica)));
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + pgPort + "/" + s.database);
        env.put("QUARKUS_DATASOURCE_USERNAME", LocalPostgres.USER);
        if (s == Svc.BILLING) {
            env.put("GPUMARKET_OPERATOR_API_KEY", options.operatorKey());
        }
        if (options.adjustableClocks() && (s == Svc.BILLING || s == Svc.RENTAL)) {
            env.put("GPUMARKET_CLOCK_ADJUSTABLE", "true");
        }
        if (s == Svc.GATEWAY) {
            env.put("GPUMARKET_GATEWAY_BILLING_URL", urls(Svc.BILLING));
            env.put("GPUMARKET_GATEWAY_NODE_URL", urls(Svc.NODE));
            env.put("GPUMARKET_GATEWAY_OFFER_URL", urls(Svc.OFFER));
            env.put("GPUMARKET_GATEWAY_RENTAL_URL", urls(Svc.RENTAL));
            env.put("GPUMARKET_GATEWAY_RATE_LIMITS_ENABLED", Boolean.toString(options.rateLimited()));
        }
        try {
            record(name(s, replica), pb.start().pid());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name(s, replica), e);
        }
    }

    /** The service's replicas' base URLs, comma-separated. */
    private String urls(Svc s) {
        return String.join(",", ports.get(s).stream().map(p -> "http://localhost:" + p).toList());
    }

    /** A replica's name for its PID and log: the module's name, then {@code -2}, {@code -3}, ... */
    private static String name(Svc s, int replica) {
        return replica == 0 ? s.module : s.module + "-" + (replica + 1);
    }

    /** Kills a service's first process at once (SIGKILL): no shutdown hook, no clean stop. */
    public void kill(Svc s) {
        kill(s, 0);
    }

    /** Kills replica {@code replica} of a service at once (SIGKILL). */
    public void kill(Svc s, int replica) {
        long pid = Long.parseLong(state.getProperty("pid." + name(s, replica)));
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
    }

    public void awaitReady(Svc s) {
        awaitReady(s, 0);
    }

    public void awaitReady(Svc s, int replica) {
        String name = name(s, replica);
        URI ready = URI.create("http://localhost:" + ports.get(s).get(replica) + "/q/health/ready");
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                var r = client.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pid(name).filter(p -> !p.isAlive()).ifPresent(p -> {
                throw new IllegalStateException(name + " exited during start; see " + logs().resolve(name + ".log"));
            });
            sleep(250);
        }
        throw new IllegalStateException(name + " did not become ready; see " + logs().resolve(name + ".log"));
    }

    /** Starts a simulated host agent for a machine; it is stopped with the stack. */
    public void startAgent(String name, String machineId, String agentToken, int simulatedGpus) {
        Path jar = options.home().resolve("host-agent/target/host-agent.jar");
        try {
            Process p = new ProcessBuilder(java(), "-Xmx64m", "-XX:+UseSerialGC", "-jar", jar.toString(),
                    "--gateway", gateway().toString(), "--machine-id", machineId, "--agent-token", agentToken,
                    "--simulated-gpus", Integer.toString(simulatedGpus), "--simulated-start-ms", "500")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                            logs().resolve(name + ".log").toFile())).start();
            record(name, p.pid());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the host agent", e);
        }
    }

    /** Stops everything a stack in this run dir started: processes by PID, then PostgreSQL. */
    public static void down(Path runDir) {
        Path file = runDir.resolve("stack.properties");
        if (!Files.exists(file)) {
            return;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<ProcessHandle> running = new ArrayList<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("pid.")) {
                ProcessHandle.of(Long.parseLong(p.getProperty(key))).filter(ProcessHandle::isAlive).ifPresent(running::add);
            }
        }
        // agents and services first, the broker last
        running.sort(java.util.Comparator.comparing(h -> p.getProperty("pid.kafka", "").equals(Long.toString(h.pid()))));
        for (ProcessHandle h : running) {
            h.destroy();
            try {
                h.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        String pgDir = p.getProperty("postgres.dir");
        if (pgDir != null && Files.exists(Path.of(pgDir, "postmaster.pid"))) {
            LocalPostgres.stopAt(Path.of(pgDir));
        }
        try {
            Files.delete(file);
        } catch (IOException ignored) {
            // stopped all the same
        }
    }

    /** A process this stack started: {@code kafka}, a service's module name, or an agent's name. */
    public java.util.Optional<ProcessHandle> process(String name) {
        return pid(name);
    }

    /** PostgreSQL's postmaster (its backends are its children). */
    public java.util.Optional<ProcessHandle> postgres() {
        String dir = state.getProperty("postgres.dir");
        Path pidFile = dir == null ? null : Path.of(dir, "postmaster.pid");
        if (pidFile == null || !Files.exists(pidFile)) {
            return java.util.Optional.empty();
        }
        try {
            return ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private java.util.Optional<ProcessHandle> pid(String name) {
        String pid = state.getProperty("pid." + name);
        return pid == null ? java.util.Optional.empty() : ProcessHandle.of(Long.parseLong(pid));
    }

    private void record(String name, long pid) {
        state.setProperty("pid." + name, Long.toString(pid));
        save();
    }

    private synchronized void save() {
        try (OutputStream out = Files.newOutputStream(options.runDir().resolve("stack.properties"))) {
            state.store(out, "what ./gpumarket up started; ./gpumarket down stops it");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String libClasspath() {
        return options.home().resolve("stack/target/lib").toAbsolutePath() + "/*";
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static void awaitPort(int port, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("localhost", port)) {
                return;
            } catch (IOException e) {
                sleep(200);
            }
        }
        throw new IllegalStateException(what + " did not open port " + port);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
