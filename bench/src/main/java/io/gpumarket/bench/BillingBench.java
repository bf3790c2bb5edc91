package io.gpumarket.bench;

import io.gpumarket.events.EventMeta;
import io.gpumarket.events.Topics;
import io.gpumarket.events.rental.Contract;
import io.gpumarket.events.rental.RentalType;
import io.gpumarket.events.serde.EventJson;
import io.gpumarket.events.usage.UsageEvent.UsageRecorded;
import io.gpumarket.stack.Http;
import io.gpumarket.stack.LocalStack;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench/run billing}: writes {@code --events} usage intervals to {@code gpumarket.usage} as
 * rental-service would, lets billing-service charge them (one posting each on
 * {@code gpumarket.ledger}), then measures (1) how fast the charger turns usage into ledger entries,
 * (2) how long a usage interval takes to reach its account's balance while a steady stream flows,
 * and (3) a rebuild of the billing-ledger projection from offset 0, beside Kafka's own consumer
 * perf tool reading the same ledger topic. rental-, offer- and node-service are stopped first so
 * the figures are billing's alone.
 */
@Command(name = "billing", mixinStandardHelpOptions = true,
        description = "Charges a stream of usage, then rebuilds the billing projection from offset 0.")
final class BillingBench implements Callable<Integer> {
    @Option(names = "--events", defaultValue = "10000000", description = "usage intervals written")
    long events;

    @Option(names = "--instances", defaultValue = "20000", description = "instances the intervals belong to")
    int instances;

    @Option(names = "--probes", defaultValue = "200", description = "intervals timed from close to balance")
    int probes;

    @Option(names = "--probe-load", defaultValue = "2000", description = "background intervals per second while probing")
    int probeLoad;

    @Option(names = "--out", defaultValue = "bench/results/billing.json")
    Path out;

    @Option(names = "--keep", description = "keep the run directory (logs)")
    boolean keep;

    private static final String LEDGER_PROJECTION = "billing-ledger";

    @Override
    public Integer call() throws Exception {
        return BenchRun.run("billing", keep, out, (stack, runDir, report) -> {
            for (LocalStack.Svc s : List.of(LocalStack.Svc.RENTAL, LocalStack.Svc.OFFER, LocalStack.Svc.NODE)) {
                stack.kill(s);
            }
            Http http = new Http(stack.gateway());
            report.put("setup", Map.of("usageEvents", events, "instances", instances, "clientAccounts", 1_000,
                    "hostAccounts", 100, "feePolicy", "flat 25 %", "stopped", "rental-, offer- and node-service",
                    "usageRecordBytes", EventJson.write(usage(0, 0, Instant.now())).length));
            report.put("charging", charge(stack));
            report.put("usageToBalance", probe(stack));
            report.put("rebuild", rebuild(stack, http));
            long ledgerRecords = count(stack, CHARGES_ON_THE_BALANCES);
            report.put("kafkaConsumerPerf", ConsumerPerf.run(BenchRun.home(), stack.kafkaBootstrapServers(),
                    Topics.LEDGER.name(), ledgerRecords));
            report.put("comparison", compare(report));
        });
    }

    /** Writes the usage stream and waits until every interval is charged; the charger's rate. */
    private Map<String, Object> charge(LocalStack stack) throws Exception {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(3));
        long start = System.nanoTime();
        int rounds = (int) (events / instances);
        try (var producer = producer(stack)) {
            for (int k = 0; k < rounds; k++) {
                for (int i = 0; i < instances; i++) {
                    UsageRecorded u = usage(i, k, t0);
                    producer.send(new ProducerRecord<>(Topics.USAGE.name(), u.aggregateId(), EventJson.write(u)));
                }
            }
            producer.flush();
        }
        double writeSeconds = (System.nanoTime() - start) / 1e9;
        long written = (long) rounds * instances;
        awaitCount(stack, CHARGES_ON_THE_BALANCES, written);
        double projectedSeconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("usageEventsWritten", written);
        out.put("writtenPerSecond", Math.round(written / writeSeconds));
        out.put("chargedAndProjectedPerSecond", Math.round(written / projectedSeconds));
        out.put("secondsUntilAllOnTheBalances", Math.round(projectedSeconds * 10) / 10.0);
        return out;
    }

    /**
     * While a steady background stream of intervals flows, times single intervals of fresh accounts
     * from the moment they are written (the interval's close) to their account's balance row.
     */
    private Map<String, Object> probe(LocalStack stack) throws Exception {
        Latencies latencies = new Latencies();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (var producer = producer(stack);
                Connection db = DriverManager.getConnection(stack.jdbcUrl("billing"), "postgres", "");
                PreparedStatement balance = db.prepareStatement("SELECT micros FROM balance WHERE account_id = ?")) {
            Thread load = new Thread(() -> {
                long k = 1_000_000;
                while (!Thread.currentThread().isInterrupted()) {
                    long tickStart = System.nanoTime();
                    for (int i = 0; i < probeLoad / 10; i++) {
                        UsageRecorded u = usage((int) (k % instances), k / instances + 1_000_000, t0);
                        producer.send(new ProducerRecord<>(Topics.USAGE.name(), u.aggregateId(), EventJson.write(u)));
                        k++;
                    }
                    try {
                        Thread.sleep(Math.max(0, 100 - (System.nanoTime() - tickStart) / 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "probe-load");
            load.setDaemon(true);
            load.start();
            Thread.sleep(3_000);
            for (int p = 0; p < probes; p++) {
                String account = "probe-" + UUID.randomUUID();
                UsageRecorded u = new UsageRecorded(EventMeta.of(UUID.randomUUID(), "probe-m-" + p, 0, t0), "probe-i-" + p,
                        account, "probe-host", t0, t0.plusSeconds(5), contract(0), 5, 5, 0, 5, 5, 0, 0);
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(Topics.USAGE.name(), u.aggregateId(), EventJson.write(u)));
                producer.flush();
                while (true) {
                    balance.setString(1, account);
                    try (ResultSet r = balance.executeQuery()) {
                        if (r.next()) {
                            break;
                        }
                    }
                    if (System.nanoTime() - sent > Duration.ofSeconds(60).toNanos()) {
                        throw new IllegalStateException("probe " + p + " never reached its balance");
                    }
                    Thread.sleep(2);
                }
                latencies.add(System.nanoTime() - sent);
                Thread.sleep(50);
            }
            load.interrupt();
            load.join();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("probes", probes);
        out.put("backgroundIntervalsPerSecond", probeLoad);
        out.putAll(latencies.percentiles());
        out.put("note", "from the interval's write (when rental-service closes it) to its account's balance row;"
                + " rental-service closes an interval at every status change and every 4 s");
        return out;
    }

    /** Empties the ledger projection and replays it from offset 0, with the digest before and after. */
    private Map<String, Object> rebuild(LocalStack stack, Http http) throws Exception {
        String base = "/api/v1/ops/billing-service/projections/" + LEDGER_PROJECTION;
        String live = http.get(base + "/digest", stack.operatorKey()).expect(200).text("digest");
        long records = count(stack, CHARGES_ON_THE_BALANCES);
        CpuClock cpu = CpuClock.start(stack, List.of("billing-service", "gateway"), "polling");
        long start = System.nanoTime();
        http.post(base + "/rebuild", stack.operatorKey(), null).expect(202);
        while (!http.get(base + "/digest", stack.operatorKey()).expect(200).body().get("caughtUp").asBoolean()) {
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> cpuUse = cpu.stop();
        String rebuilt = http.get(base + "/digest", stack.operatorKey()).expect(200).text("digest");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ledgerRecords", records);
        out.put("seconds", Math.round(seconds * 10) / 10.0);
        out.put("recordsPerSecond", Math.round(records / seconds));
        out.put("digestEqualsLive", rebuilt.equals(live));
        out.put("ledgerLines", count(stack, "SELECT count(*) FROM ledger_line"));
        out.put("cpu", cpuUse);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compare(Map<String, Object> report) {
        double rebuilt = ((Number) ((Map<String, Object>) report.get("rebuild")).get("recordsPerSecond")).doubleValue();
        double raw = ((Number) ((Map<String, Object>) report.get("kafkaConsumerPerf")).get("recordsPerSecond"))
                .doubleValue();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rebuildRecordsPerSecond", Math.round(rebuilt));
        out.put("kafkaConsumerPerfRecordsPerSecond", Math.round(raw));
        out.put("ratioToKafkaConsumerPerf", Math.round(rebuilt / raw * 1000) / 1000.0);
        out.put("target", 200_000);
        out.put("targetMet", rebuilt >= 200_000);
        return out;
    }

    /** Instance {@code i}'s {@code k}-th 5-second interval online, as rental-service writes it. */
    private UsageRecorded usage(int i, long k, Instant t0) {
        Instant start = t0.plusSeconds(5 * k);
        long total = 5 * (k + 1);
        UUID id = new UUID(i, k);
        return new UsageRecorded(EventMeta.of(id, "bench-m-" + (i / 8), 0, start.plusSeconds(5)), "bench-i-" + i,
                "bench-client-" + (i % 1_000), "bench-host-" + (i / 8 % 100), start, start.plusSeconds(5), contract(i),
                5, 5, 40_000L * k, total, total, 40_000L * k * (k + 1) / 2, 0);
    }

    /** 64 contract shapes, built once (the probe thread and the load thread read them concurrently). */
    private static final List<Contract> CONTRACTS = IntStream.range(0, 64).mapToObj(n -> new Contract(
            RentalType.ONDEMAND, n % 2 == 0 ? "RTX 4090" : "A100 SXM4", 1 + n % 4, 20 + n, 150_000 + 37_003L * n,
            100_000, 2_000_000, Instant.parse("2027-01-01T00:00:00Z"))).toList();

    private static Contract contract(int i) {
        return CONTRACTS.get(i % CONTRACTS.size());
    }

    private static KafkaProducer<String, byte[]> producer(LocalStack stack) {
        return new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", stack.kafkaBootstrapServers(), "acks",
                "all", "enable.idempotence", true, "linger.ms", 20, "batch.size", 512 * 1024),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Every ledger record of this bench is a usage posting; each is counted once in its charge line. */
    private static final String CHARGES_ON_THE_BALANCES =
            "SELECT coalesce(sum(entries), 0) FROM ledger_line WHERE kind = 'charge'";

    private static void awaitCount(LocalStack stack, String query, long wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(60).toNanos();
        while (count(stack, query) < wanted) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("billing did not charge every interval within an hour");
            }
            Thread.sleep(2_000);
        }
    }

    private static long count(LocalStack stack, String query) throws Exception {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl("billing"), "postgres", "");
                ResultSet r = c.createStatement().executeQuery(query)) {
            r.next();
            return r.getLong(1);
        }
    }
}
