package io.gpumarket.rental.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.Topics;
import io.gpumarket.events.ledger.LedgerEvent.FundsDeposited;
import io.gpumarket.events.machine.CheckResult;
import io.gpumarket.events.machine.MachineEvent.MachineCameOnline;
import io.gpumarket.events.machine.MachineEvent.MachineRegistered;
import io.gpumarket.events.machine.MachineSpec;
import io.gpumarket.events.offer.ListingTerms;
import io.gpumarket.events.offer.OfferEvent.ListingPublished;
import io.gpumarket.events.offer.OfferIds;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalEvent.RentalApproved;
import io.gpumarket.kit.api.Caller;
import io.gpumarket.rental.projection.InstanceRow;
import io.gpumarket.rental.projection.OfferRefRow;
import io.gpumarket.testsupport.GpumarketTestResource;
import io.gpumarket.testsupport.LogWriter;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rents racing through the real API, broker and database: many clients at once for the same GPUs,
 * and one client at once on many machines. Each race is run {@value #ROUNDS} times on fresh
 * machines and accounts; no round may break a rule. The processor's commits show in the service's
 * metrics.
 */
@QuarkusTest
@QuarkusTestResource(value = GpumarketTestResource.class, initArgs = @ResourceArg(name = "db", value = "rental_test"))
class RentalConcurrencyTest {
    private static final int ROUNDS = 20;
    private static final Instant END = Instant.now().plus(Duration.ofDays(30));
    private static ExecutorService pool;

    @BeforeAll
    static void threads() {
        pool = Executors.newFixedThreadPool(50);
    }

    @AfterAll
    static void stopThreads() {
        pool.shutdownNow();
    }

    @Test
    void fiftyClientsRentingTheSameGpusAtOnceLeaveThemWithExactlyOne() throws Exception {
        List<String> machines = new ArrayList<>();
        Map<String, List<String>> clients = new HashMap<>();
        List<Event> facts = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String machine = machine(facts, 4);
            machines.add(machine);
            List<String> accounts = new ArrayList<>();
            for (int c = 0; c < 50; c++) {
                accounts.add(client(facts, "50"));
            }
            clients.put(machine, accounts);
        }
        ready(facts, machines);
        for (String machine : machines) {
            String offer = OfferIds.of(machine, 4);
            List<Response> answers = race(clients.get(machine).stream().map(a -> (java.util.concurrent.Callable<Response>)
                    () -> rent(a, offer)).toList());
            Map<String, Long> outcomes = outcomes(answers);
            assertThat(outcomes.get("placed")).as("one rent gets the GPUs").isEqualTo(1);
            assertThat(outcomes.get("gpus_taken")).isEqualTo(49);
        }
        Map<String, Set<String>> holders = LogWriter.readAll(kafka(), Topics.RENTALS.name()).stream()
                .filter(e -> e instanceof GpusAllocated).map(GpusAllocated.class::cast)
                .filter(a -> machines.contains(a.aggregateId())).collect(Collectors.groupingBy(
                        GpusAllocated::aggregateId, Collectors.mapping(GpusAllocated::instanceId, Collectors.toSet())));
        assertThat(holders).hasSize(ROUNDS).allSatisfy((machine, instances) -> assertThat(instances)
                .as("GPUs of %s given to", machine).hasSize(1));
    }

    @Test
    void theProcessorsTransactionsAreCountedInTheMetrics() throws Exception {
        List<Event> facts = new ArrayList<>();
        String account = client(facts, "100");
        String placed = machine(facts, 1);
        ready(facts, List.of(placed));
        double before = processorTransactions();
        assertThat(rent(account, OfferIds.of(placed, 1)).statusCode()).isEqualTo(202);
        assertThat(processorTransactions()).as("rental-decider's commits, with the rent's among them")
                .isGreaterThan(before);
    }

    private static double processorTransactions() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        var m = java.util.regex.Pattern.compile(
                "gpumarket_processor_transactions_total\\{[^}]*processor=\"rental-decider\"[^}]*} ([0-9.E]+)")
                .matcher(metrics);
        assertThat(m.find()).as("the processor's transactions in the metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void oneClientRentingTwentyMachinesAtOnceGetsExactlyFive() throws Exception {
        List<String> accounts = new ArrayList<>();
        Map<String, List<String>> machinesOf = new HashMap<>();
        List<Event> facts = new ArrayList<>();
        List<String> allMachines = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String account = client(facts, "1000");
            accounts.add(account);
            List<String> machines = new ArrayList<>();
            for (int m = 0; m < 20; m++) {
                machines.add(machine(facts, 1));
            }
            machinesOf.put(account, machines);
            allMachines.addAll(machines);
        }
        ready(facts, allMachines);
        for (String account : accounts) {
            List<Response> answers = race(machinesOf.get(account).stream().map(m -> (java.util.concurrent.Callable<Response>)
                    () -> rent(account, OfferIds.of(m, 1))).toList());
            Map<String, Long> outcomes = outcomes(answers);
            assertThat(outcomes.get("placed")).as("instances live").isEqualTo(5);
            assertThat(outcomes.get("instance_limit")).isEqualTo(15);
        }
        Map<String, Long> approved = LogWriter.readAll(kafka(), Topics.RENTALS.name()).stream()
                .filter(e -> e instanceof RentalApproved && accounts.contains(e.aggregateId()))
                .collect(Collectors.groupingBy(Event::aggregateId, Collectors.counting()));
        assertThat(approved).hasSize(ROUNDS).allSatisfy((account, n) -> assertThat(n).as(account).isEqualTo(5));
    }

    /**
     * How the rents ended: {@code placed}, or the reason of a refusal, whether it came as a 409 or,
     * for a decision slower than the answer's wait, as the instance's {@code rental_error}.
     */
    private static Map<String, Long> outcomes(List<Response> answers) {
        Map<String, Long> out = new HashMap<>(Map.of("placed", 0L));
        List<String> pending = new ArrayList<>();
        for (Response r : answers) {
            assertThat(r.statusCode()).as(r.asString()).isIn(202, 409);
            if (r.statusCode() == 409) {
                out.merge(r.jsonPath().getString("detail").split(":")[0], 1L, Long::sum);
            } else {
                pending.add(r.jsonPath().getString("id"));
            }
        }
        LogWriter.await("every rent decided", Duration.ofSeconds(30), () -> QuarkusTransaction.requiringNew().call(
                () -> pending.stream().map(id -> InstanceRow.<InstanceRow>findById(id))
                        .allMatch(i -> i != null && (i.placed || i.refusal != null))));
        QuarkusTransaction.requiringNew().run(() -> pending.stream().map(id -> InstanceRow.<InstanceRow>findById(id))
                .forEach(i -> out.merge(i.placed ? "placed" : i.refusal, 1L, Long::sum)));
        return out;
    }

    /** Starts all calls at once and returns their answers. */
    private static List<Response> race(List<java.util.concurrent.Callable<Response>> calls) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> futures = new ArrayList<>();
        for (var call : calls) {
            futures.add(pool.submit(() -> {
                start.await();
                return call.call();
            }));
        }
        start.countDown();
        List<Response> out = new ArrayList<>();
        for (Future<Response> f : futures) {
            out.add(f.get());
        }
        return out;
    }

    private static Response rent(String account, String offerId) {
        return given().contentType(ContentType.JSON).header(Caller.ACCOUNT_HEADER, account)
                .header(Caller.ROLE_HEADER, "client")
                .body(Map.of("offerId", offerId, "image", "busybox", "diskGb", 8, "launchMode", "args"))
                .post("/api/v1/instances");
    }

    private static String machine(List<Event> facts, int gpus) {
        String id = "m-" + UUID.randomUUID();
        String host = "host-" + id;
        facts.add(new MachineRegistered(meta(id), host, new MachineSpec("rig", "RTX 4090", gpus, 24, 8 * gpus, 32 * gpus,
                500, "EU", 1000, 1000, 4, 16, null, null), List.of(new CheckResult("ram", true, "")), "hash"));
        facts.add(new MachineCameOnline(meta(id), "test"));
        facts.add(new ListingPublished(meta(id), host, new ListingTerms(400_000, 100_000, 0, 1, 100_000, 4000, END)));
        return id;
    }

    private static String client(List<Event> facts, String dollars) {
        String id = "acc-" + UUID.randomUUID();
        facts.add(new FundsDeposited(meta(id), UUID.randomUUID().toString(),
                io.gpumarket.events.money.Money.parseMicros(dollars)));
        return id;
    }

    private static EventMeta meta(String aggregate) {
        return EventMeta.of(UUID.randomUUID(), aggregate, 0, Instant.now());
    }

    /**
     * Publishes the facts and waits until the catalog has every machine and the rental processor
     * has read to the end of the topics they are on.
     */
    private static void ready(List<Event> facts, List<String> machines) throws Exception {
        LogWriter.publish(kafka(), facts.toArray(Event[]::new));
        LogWriter.await("the catalog", Duration.ofSeconds(60), () -> QuarkusTransaction.requiringNew().call(
                () -> machines.stream().allMatch(m -> OfferRefRow.findById(OfferIds.of(m, 1)) != null)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka()))) {
            LogWriter.await("the rental processor", Duration.ofSeconds(60), () -> {
                try {
                    Map<TopicPartition, OffsetAndMetadata> done = admin.listConsumerGroupOffsets("rental-decider")
                            .partitionsToOffsetAndMetadata().get();
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    done.keySet().stream().filter(tp -> Set.of(Topics.LEDGER.name(), Topics.MACHINES.name(),
                            Topics.OFFERS.name()).contains(tp.topic())).forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                    var ends = admin.listOffsets(latest).all().get();
                    return !latest.isEmpty() && latest.keySet().stream()
                            .allMatch(tp -> done.get(tp).offset() >= ends.get(tp).offset());
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    private static String kafka() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }
}
