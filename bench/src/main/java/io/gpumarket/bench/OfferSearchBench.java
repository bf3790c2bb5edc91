package io.gpumarket.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.Topics;
import io.gpumarket.events.machine.MachineEvent.MachineCameOnline;
import io.gpumarket.events.offer.OfferIds;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalType;
import io.gpumarket.events.serde.EventJson;
import io.gpumarket.offer.domain.Market;
import io.gpumarket.offer.domain.Offer;
import io.gpumarket.offer.domain.OfferOrder;
import io.gpumarket.offer.domain.OfferQuery;
import io.gpumarket.offer.domain.Quote;
import io.gpumarket.offer.domain.Search;
import io.gpumarket.stack.Http;
import io.gpumarket.stack.LocalStack;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The offer search at marketplace scale, on a local stack started for the run: loads a fleet whose
 * chunks make {@code --offers} offers through the real flow (hosts and machines registered through
 * the gateway, listings published through it), runs a mix of realistic searches through the gateway
 * from concurrent clients, runs the same filters as SQL with pgbench against an indexed PostgreSQL
 * table holding the same offers, and measures freshness: from a rental's {@code GpusAllocated}
 * record to the offer's absence in search. Writes a JSON report.
 *
 * <p>Machines come online by {@code machine.came-online.v1} records written here as node-service
 * writes them when an agent says hello: tens of thousands of agent WebSockets through the gateway
 * would exceed this machine's 20,000 open files per process.
 */
@Command(name = "offer-search", mixinStandardHelpOptions = true,
        description = "Offer search: latency and throughput through the gateway vs pgbench, and freshness.")
final class OfferSearchBench implements Callable<Integer> {
    @Option(names = "--offers", defaultValue = "100000", description = "offers to load (default ${DEFAULT-VALUE})")
    int offers;

    @Option(names = "--clients", defaultValue = "8", description = "concurrent clients, ours and pgbench's")
    int clients;

    @Option(names = "--seconds", defaultValue = "30", description = "measured seconds per load run")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "15")
    int warmupSeconds;

    @Option(names = "--seconds-per-query", defaultValue = "5", description = "each query alone, ours and pgbench's")
    int secondsPerQuery;

    @Option(names = "--sweep", defaultValue = "1,2,4", split = ",",
            description = "other client counts to run the mix at, ours and pgbench's (--sweep-seconds each)")
    List<Integer> sweep;

    @Option(names = "--sweep-seconds", defaultValue = "10")
    int sweepSeconds;

    @Option(names = "--freshness-samples", defaultValue = "100")
    int freshnessSamples;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--out", defaultValue = "bench/results/offer-search.json")
    Path out;

    @Option(names = "--keep", description = "keep the run directory (logs, pgbench scripts)")
    boolean keep;

    /** The searches, each with the same filter and order in SQL over the {@code offer} table. */
    record Query(String name, String q, String order, String sql) {}

    static final String COLUMNS = "id, machine_id, gpu_name, num_gpus, gpu_ram, cpu_cores, cpu_ram, disk_space, "
            + "region, price, dph, min_bid, reliability, dlperf, score, count(*) OVER () AS total FROM offer";
    static final String TIES = ", machine_id, num_gpus LIMIT 50";

    static final List<Query> QUERIES = List.of(
            new Query("rtx4090-2plus-by-price", "gpu_name=RTX_4090 num_gpus>=2", "dph",
                    "SELECT " + COLUMNS + " WHERE gpu_name = 'rtx 4090' AND num_gpus >= 2 ORDER BY dph" + TIES),
            new Query("8gpu-reliable-under-15", "num_gpus=8 reliability>0.85 dph<15", null,
                    "SELECT " + COLUMNS + " WHERE num_gpus = 8 AND reliability > 850000 AND dph < 15000000 "
                            + "ORDER BY score DESC" + TIES),
            new Query("40gb-in-us-by-price", "gpu_ram>=40 geolocation in [US-CA,US-TX,US-NY]", "dph",
                    "SELECT " + COLUMNS + " WHERE gpu_ram >= 40 AND region IN ('us-ca', 'us-tx', 'us-ny') "
                            + "ORDER BY dph" + TIES),
            new Query("cheap-fast-net-by-value", "dph<0.5 inet_down>=1000", "-dlperf_usd",
                    "SELECT " + COLUMNS + " WHERE dph < 500000 AND inet_down >= 1000 "
                            + "ORDER BY dlperf_usd DESC NULLS LAST" + TIES),
            new Query("datacenter-4plus", "gpu_name in [A100_PCIe,A100_SXM4,H100_PCIe,H100_SXM] num_gpus>=4 "
                    + "disk_space>=1000", null,
                    "SELECT " + COLUMNS + " WHERE gpu_name IN ('a100 pcie', 'a100 sxm4', 'h100 pcie', 'h100 sxm') "
                            + "AND num_gpus >= 4 AND disk_space >= 1000 ORDER BY score DESC" + TIES),
            new Query("everything-by-score", "", null, "SELECT " + COLUMNS + " ORDER BY score DESC" + TIES),
            new Query("48gb-total-under-2", "cpu_ram>=64 gpu_total_ram>=48 dph<=2", "dph",
                    "SELECT " + COLUMNS + " WHERE cpu_ram >= 64 AND gpu_total_ram >= 48 AND dph <= 2000000 "
                            + "ORDER BY dph" + TIES),
            new Query("one-gpu-in-germany", "region=EU-DE num_gpus=1", "dph",
                    "SELECT " + COLUMNS + " WHERE region = 'eu-de' AND num_gpus = 1 ORDER BY dph" + TIES));

    @Override
    public Integer call() throws Exception {
        return BenchRun.run("offer-search", keep, out, (stack, runDir, report) -> {
            Http http = new Http(stack.gateway());
            List<String> machineIds = load(stack, http, report);
            String clientKey = http.post("/api/v1/accounts", null, Map.of("name", "searcher", "email",
                    "searcher@example.com", "role", "client")).expect(201).text("apiKey");
            Map<String, Object> ours = searchLoad(new Wrk(stack.gateway(), clientKey, runDir));
            Map<String, Object> theirs = pgbench(stack, runDir);
            report.put("search", ours);
            report.put("pgbench", theirs);
            report.put("comparison", compare(ours, theirs));
            report.put("freshness", freshness(stack, http, machineIds));
        });
    }

    /** Hosts, machines and listings through the gateway; online facts to the log. Returns the machine ids. */
    private List<String> load(LocalStack stack, Http http, Map<String, Object> report) throws Exception {
        long started = System.nanoTime();
        List<Fleet.Machine> fleet = Fleet.generate(seed, offers, Instant.now());
        int hostCount = Math.max(1, fleet.size() / 100);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<String> hostKeys = parallel(pool, hostCount, i -> http.post("/api/v1/accounts", null, Map.of("name",
                    "host " + i, "email", "host" + i + "@example.com", "role", "host")).expect(201).text("apiKey"));
            List<String> ids = parallel(pool, fleet.size(), i -> http.post("/api/v1/machines",
                    hostKeys.get(i % hostCount), fleet.get(i).spec()).expect(201).text("id"));
            long registered = System.nanoTime();
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                    stack.kafkaBootstrapServers(), "acks", "all", "linger.ms", 5), new StringSerializer(),
                    new ByteArraySerializer())) {
                for (String id : ids) {
                    Event online = new MachineCameOnline(EventMeta.of(java.util.UUID.randomUUID(), id, 0, Instant.now()),
                            "bench");
                    producer.send(new ProducerRecord<>(Topics.MACHINES.name(), id, EventJson.write(online)));
                }
                producer.flush();
            }
            parallel(pool, fleet.size(), i -> http.put("/api/v1/machines/" + ids.get(i) + "/listing",
                    hostKeys.get(i % hostCount), fleet.get(i).listing()).expect(200).status());
            long listed = System.nanoTime();
            String anyKey = hostKeys.get(0);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            int shown = 0;
            while (System.nanoTime() < deadline) {
                shown = http.get("/api/v1/offers?limit=1", anyKey).expect(200).body().get("total").asInt();
                if (shown >= offers) {
                    break;
                }
                Thread.sleep(200);
            }
            if (shown != offers) {
                throw new IllegalStateException("search shows " + shown + " offers, expected " + offers);
            }
            Map<String, Object> loaded = new LinkedHashMap<>();
            loaded.put("hosts", hostCount);
            loaded.put("machines", fleet.size());
            loaded.put("offers", shown);
            loaded.put("registerSeconds", Latencies.round((registered - started) / 1e9));
            loaded.put("listSeconds", Latencies.round((listed - registered) / 1e9));
            loaded.put("totalSeconds", Latencies.round((System.nanoTime() - started) / 1e9));
            loaded.put("how", "accounts, POST /machines and PUT /machines/{id}/listing through the gateway (16 "
                    + "concurrent callers); machine.came-online.v1 written to gpumarket.machines as node-service does");
            report.put("load", loaded);
            System.out.println("loaded: " + loaded);
            return ids;
        } finally {
            pool.shutdownNow();
        }
    }

    private Map<String, Object> searchLoad(Wrk wrk) throws Exception {
        List<String> mix = QUERIES.stream().map(OfferSearchBench::path).toList();
        wrk.run("warmup", mix, clients, warmupSeconds);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tool", Wrk.version());
        out.put("how", "GET /api/v1/offers through the gateway (limit 50), wrk -t2 -c" + clients
                + ", the eight queries round-robin, after a " + warmupSeconds + " s warm-up");
        out.put("all", wrk.run("mix", mix, clients, seconds));
        Map<String, Object> sweepOut = new LinkedHashMap<>();
        for (int c : sweep) {
            sweepOut.put(c + " clients", wrk.run("mix-" + c, mix, c, sweepSeconds));
        }
        out.put("mixByClients", sweepOut);
        Map<String, Object> byQuery = new LinkedHashMap<>();
        for (Query q : QUERIES) {
            Map<String, Object> one = new LinkedHashMap<>(wrk.run(q.name(), List.of(path(q)), clients, secondsPerQuery));
            one.put("q", q.q());
            one.put("order", q.order() == null ? OfferOrder.DEFAULT : q.order());
            byQuery.put(q.name(), one);
        }
        out.put("byQuery", byQuery);
        System.out.println("search: " + out.get("all"));
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> compare(Map<String, Object> ours, Map<String, Object> theirs) {
        Map<String, Object> out = new LinkedHashMap<>();
        var a = (Map<String, Object>) ours.get("all");
        var b = (Map<String, Object>) theirs.get("all");
        out.put("mixPerSecondOurs", a.get("perSecond"));
        out.put("mixPerSecondPgbench", b.get("perSecond"));
        out.put("mixRatio", Latencies.round((Double) a.get("perSecond") / (Double) b.get("perSecond")));
        out.put("mixP99MsOurs", a.get("p99Ms"));
        out.put("mixP99MsPgbench", b.get("p99Ms"));
        var bare = (Map<String, Object>) theirs.get("allWithoutTotal");
        out.put("mixPerSecondPgbenchWithoutTotal", bare.get("perSecond"));
        out.put("mixRatioWithoutTotal", Latencies.round((Double) a.get("perSecond") / (Double) bare.get("perSecond")));
        Map<String, Object> byQuery = new LinkedHashMap<>();
        var oursBy = (Map<String, Map<String, Object>>) ours.get("byQuery");
        var theirsBy = (Map<String, Map<String, Object>>) theirs.get("byQuery");
        for (Query q : QUERIES) {
            double x = (Double) oursBy.get(q.name()).get("perSecond");
            double y = (Double) theirsBy.get(q.name()).get("perSecond");
            byQuery.put(q.name(), Map.of("perSecondOurs", x, "perSecondPgbench", y, "ratio", Latencies.round(x / y),
                    "p99MsOurs", oursBy.get(q.name()).get("p99Ms"), "p99MsPgbench", theirsBy.get(q.name()).get("p99Ms")));
        }
        out.put("byQuery", byQuery);
        return out;
    }

    static String path(Query q) {
        StringBuilder p = new StringBuilder("/api/v1/offers?limit=50");
        if (!q.q().isEmpty()) {
            p.append("&q=").append(URLEncoder.encode(q.q(), StandardCharsets.UTF_8));
        }
        if (q.order() != null) {
            p.append("&order=").append(URLEncoder.encode(q.order(), StandardCharsets.UTF_8));
        }
        return p.toString();
    }

    /** The same offers in an indexed table, read from the same log into the same market; then pgbench. */
    private Map<String, Object> pgbench(LocalStack stack, Path runDir) throws Exception {
        Market market = new Market();
        for (var topic : List.of(Topics.MACHINES, Topics.OFFERS, Topics.RENTALS)) {
            io.gpumarket.testsupport.LogWriter.readAll(stack.kafkaBootstrapServers(), topic.name()).forEach(market::apply);
        }
        Quote quote = new Quote(RentalType.ONDEMAND, 0, 10, 1);
        List<Offer> all = Search.run(market, OfferQuery.parse(""), OfferOrder.parse("machine_id,num_gpus"),
                quote, Instant.now(), 0, offers).offers();
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl("postgres"), "postgres", "")) {
            c.createStatement().execute("CREATE DATABASE bench");
        }
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl("bench"), "postgres", "")) {
            c.createStatement().execute("CREATE TABLE offer (id TEXT PRIMARY KEY, machine_id TEXT NOT NULL, "
                    + "gpu_name TEXT NOT NULL, num_gpus INT NOT NULL, gpu_ram INT NOT NULL, gpu_total_ram INT NOT NULL, "
                    + "cpu_cores INT NOT NULL, cpu_ram INT NOT NULL, disk_space INT NOT NULL, region TEXT NOT NULL, "
                    + "inet_up INT NOT NULL, inet_down INT NOT NULL, price BIGINT NOT NULL, dph BIGINT NOT NULL, "
                    + "min_bid BIGINT NOT NULL, reliability BIGINT NOT NULL, dlperf BIGINT, dlperf_usd BIGINT, "
                    + "score BIGINT NOT NULL)");
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO offer VALUES "
                    + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Offer o : all) {
                    var m = o.machine();
                    int i = 1;
                    insert.setString(i++, o.id());
                    insert.setString(i++, m.id());
                    insert.setString(i++, m.gpuModel().toLowerCase(java.util.Locale.ROOT));
                    insert.setInt(i++, o.numGpus());
                    insert.setInt(i++, m.gpuRamGb());
                    insert.setInt(i++, m.gpuRamGb() * o.numGpus());
                    insert.setInt(i++, o.cpuCores());
                    insert.setInt(i++, o.ramGb());
                    insert.setInt(i++, m.diskGb());
                    insert.setString(i++, m.region().toLowerCase(java.util.Locale.ROOT));
                    insert.setInt(i++, m.inetUpMbps());
                    insert.setInt(i++, m.inetDownMbps());
                    insert.setLong(i++, o.pricePerHourMicros());
                    insert.setLong(i++, o.totalPerHourMicros());
                    insert.setLong(i++, o.minBidPerHourMicros());
                    insert.setLong(i++, m.reliabilityPpm());
                    insert.setObject(i++, o.dlperfCenti());
                    insert.setObject(i++, o.dlperfPerDollarCenti());
                    insert.setLong(i, o.score());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            for (String index : List.of("gpu_name, num_gpus", "region, num_gpus", "num_gpus, score DESC", "dph",
                    "score DESC", "dlperf_usd DESC NULLS LAST", "gpu_ram, dph")) {
                c.createStatement().execute("CREATE INDEX ON offer (" + index + ")");
            }
            c.commit();
            c.setAutoCommit(true);
            c.createStatement().execute("VACUUM ANALYZE offer");
        }
        Pgbench pgbench = new Pgbench(stack.postgresPort(), "bench", runDir);
        pgbench.run("warmup", QUERIES.stream().map(Query::sql).toList(), clients, warmupSeconds);
        Pgbench.Result mix = pgbench.run("mix", QUERIES.stream().map(Query::sql).toList(), clients, seconds);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tool", mix.version());
        out.put("rows", all.size());
        out.put("how", "one script per query (the same filters and order as SQL, LIMIT 50 with count(*) OVER ()), "
                + "chosen at random per transaction, -M prepared, -c " + clients + " -j 2, indexes on the "
                + "filtered and ordered columns, after a " + warmupSeconds + " s warm-up");
        out.put("all", mix.latencies().summary(mix.seconds()));
        Map<String, Object> sweepOut = new LinkedHashMap<>();
        for (int c : sweep) {
            Pgbench.Result r = pgbench.run("mix-" + c, QUERIES.stream().map(Query::sql).toList(), c, sweepSeconds);
            sweepOut.put(c + " clients", r.latencies().summary(r.seconds()));
        }
        out.put("mixByClients", sweepOut);
        Pgbench.Result bare = pgbench.run("mix-without-total", QUERIES.stream()
                .map(q -> q.sql().replace(", count(*) OVER () AS total", "")).toList(), clients, seconds);
        out.put("allWithoutTotal", bare.latencies().summary(bare.seconds()));
        Map<String, Object> byQuery = new LinkedHashMap<>();
        for (Query q : QUERIES) {
            Pgbench.Result one = pgbench.run(q.name(), List.of(q.sql()), clients, secondsPerQuery);
            byQuery.put(q.name(), one.latencies().summary(one.seconds()));
        }
        out.put("byQuery", byQuery);
        Map<String, String> sql = new LinkedHashMap<>();
        QUERIES.forEach(q -> sql.put(q.name(), q.sql()));
        out.put("sql", sql);
        System.out.println("pgbench: " + out.get("all"));
        return out;
    }

    /**
     * Rents whole machines through the gateway, one at a time, while polling search for the offer;
     * freshness is from the {@code GpusAllocated} record's timestamp to the end of the first search
     * that no longer shows it.
     */
    private Map<String, Object> freshness(LocalStack stack, Http http, List<String> machineIds) throws Exception {
        java.net.http.HttpClient probes = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        Map<String, Long> allocatedAt = new ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicBoolean tailing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread tail = tailAllocations(stack.kafkaBootstrapServers(), allocatedAt, tailing);
        Latencies freshness = new Latencies();
        List<String> renters = new ArrayList<>();
        String sshKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl bench";
        String sshKeyId = null;
        int failures = 0;
        try {
            for (int s = 0; s < freshnessSamples; s++) {
                if (s % 5 == 0) {
                    String key = http.post("/api/v1/accounts", null, Map.of("name", "renter " + s, "email",
                            "renter" + s + "@example.com", "role", "client")).expect(201).text("apiKey");
                    http.post("/api/v1/account/deposits", key, Map.of("amount", "5000")).expect(201);
                    sshKeyId = http.post("/api/v1/account/ssh-keys", key, Map.of("name", "k", "publicKey", sshKey))
                            .expect(201).text("id");
                    renters.add(key);
                }
                String machine = machineIds.get(s * (machineIds.size() / freshnessSamples));
                JsonNode offer = http.get("/api/v1/offers?q=" + URLEncoder.encode("machine_id=" + machine,
                        StandardCharsets.UTF_8) + "&order=-num_gpus&limit=1", renters.get(renters.size() - 1))
                        .expect(200).body().get("offers").get(0);
                int gpus = offer.get("numGpus").asInt();
                String probe = "/api/v1/offers?q=" + URLEncoder.encode("machine_id=" + machine + " num_gpus=" + gpus,
                        StandardCharsets.UTF_8) + "&limit=1";
                String renter = renters.get(renters.size() - 1);
                String keyId = sshKeyId;
                long[] goneAtMillis = {0};
                Thread poller = new Thread(() -> {
                    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (System.nanoTime() < until) {
                        try {
                            var request = java.net.http.HttpRequest.newBuilder(stack.gateway().resolve(probe))
                                    .header("Authorization", "Bearer " + renter).build();
                            if (probes.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body()
                                    .contains("\"total\":0")) {
                                goneAtMillis[0] = System.currentTimeMillis();
                                return;
                            }
                        } catch (Exception e) {
                            return;
                        }
                    }
                });
                poller.start();
                Http.Answer rented = http.post("/api/v1/instances", renter, Map.of("offerId",
                        OfferIds.of(machine, gpus), "image", "ubuntu:22.04", "diskGb", 20, "launchMode", "ssh",
                        "sshKeyId", keyId, "type", "ondemand"));
                poller.join();
                String instance = rented.status() == 202 ? rented.text("id") : null;
                long deadline = System.currentTimeMillis() + 5_000;
                while (instance != null && !allocatedAt.containsKey(instance) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(5);
                }
                Long at = instance == null ? null : allocatedAt.get(instance);
                if (at == null || goneAtMillis[0] == 0) {
                    failures++;
                    continue;
                }
                freshness.add(Math.max(0, goneAtMillis[0] - at) * 1_000_000);
            }
        } finally {
            tailing.set(false);
            tail.join(5_000);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("how", "POST /instances for a whole machine's offer while another thread polls search for it; "
                + "from the rental.gpus-allocated.v1 record's timestamp to the end of the first search without it "
                + "(millisecond resolution)");
        out.put("samples", freshness.count());
        out.put("failedSamples", failures);
        out.putAll(freshness.percentiles());
        System.out.println("freshness: " + out);
        return out;
    }

    private static Thread tailAllocations(String bootstrap, Map<String, Long> allocatedAt,
            java.util.concurrent.atomic.AtomicBoolean tailing) throws InterruptedException {
        var ready = new java.util.concurrent.CountDownLatch(1);
        Thread t = new Thread(() -> {
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                    "isolation.level", "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
                String topic = Topics.RENTALS.name();
                List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(tps);
                consumer.seekToEnd(tps);
                tps.forEach(consumer::position);
                ready.countDown();
                while (tailing.get()) {
                    for (var r : consumer.poll(Duration.ofMillis(50))) {
                        if (EventJson.read(r.value(), Topics.RENTALS.valueType()) instanceof GpusAllocated a) {
                            allocatedAt.put(a.instanceId(), r.timestamp());
                        }
                    }
                }
            }
        }, "tail-allocations");
        t.start();
        ready.await();
        return t;
    }

    /** Runs {@code count} calls on the pool and returns their results in order. */
    private static <T> List<T> parallel(ExecutorService pool, int count, java.util.function.IntFunction<T> call)
            throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            futures.add(pool.submit(() -> call.apply(n)));
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get());
        }
        return out;
    }
}
