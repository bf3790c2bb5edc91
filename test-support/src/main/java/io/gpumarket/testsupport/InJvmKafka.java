package io.gpumarket.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) inside this JVM, from
 * Kafka's own jars, with replication factors of 1 so consumer groups and transactions work.
 */
public final class InJvmKafka {
    private final KafkaRaftServer server;
    private final int port;
    private final Path logDir;

    private InJvmKafka(KafkaRaftServer server, int port, Path logDir) {
        this.server = server;
        this.port = port;
        this.logDir = logDir;
    }

    /** Kept strongly reachable: java.util.logging forgets levels of loggers nobody references. */
    private static final java.util.List<java.util.logging.Logger> QUIET = java.util.stream.Stream
            .of("kafka", "org.apache.kafka", "state.change.logger", "org.apache.zookeeper")
            .map(java.util.logging.Logger::getLogger).toList();

    public static InJvmKafka start() {
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
        try {
            Path logDir = Files.createTempDirectory("gpumarket-kafka");
            int port = FreePorts.next();
            int controllerPort = FreePorts.next();
            Properties p = brokerProperties(logDir, port, controllerPort);
            Path propsFile = logDir.resolve("server.properties");
            try (var out = Files.newOutputStream(propsFile)) {
                p.store(out, "gpumarket test broker");
            }
            var sink = new PrintStream(new ByteArrayOutputStream());
            StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
                    propsFile.toString()}, sink);
            var server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
            server.startup();
            return new InJvmKafka(server, port, logDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Kafka broker", e);
        }
    }

    /** The broker settings gpumarket runs a single local node with (also used for the local stack). */
    public static Properties brokerProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.resolve("data").toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "6");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "6");
        // a killed replica's open transaction is aborted within 2 s of its timeout, not 10
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "2000");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "6");
        // a single-broker stack on a few cores: fewer request threads than the defaults (3 network, 8 I/O)
        p.put("num.network.threads", "1");
        p.put("num.io.threads", "2");
        return p;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public void stop() {
        server.shutdown();
        server.awaitShutdown();
        deleteRecursively(logDir);
    }

    static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
