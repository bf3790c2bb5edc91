package io.gpumarket.stack;

import static io.gpumarket.stack.MarketplaceEndToEndTest.eventually;
import static io.gpumarket.stack.MarketplaceEndToEndTest.find;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.events.money.Money;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Scale-out on one machine: a stack of its own with two processes of every service. Both
 * rental-service and both billing-service replicas own partitions of their processors' groups;
 * concurrent rents of the same GPUs still place exactly one; one replica of each killed hard hands
 * its partitions to the other, after which nothing accepted is lost, nothing is done twice, and the
 * money adds up to the micro-dollar.
 */
@Order(1)
class ReplicasEndToEndTest {
    private static final List<String> GROUPS = List.of("rental-decider", "billing-usage-charger", "billing-standing");
    static Path runDir;
    static LocalStack stack;
    static Http http;

    @BeforeAll
    static void up() throws Exception {
        runDir = Files.createTempDirectory("gpumarket-replicas");
        stack = LocalStack.up(new LocalStack.Options(Path.of("..").toAbsolutePath().normalize(), runDir, true,
                "gpm_operator_replicas").withReplicas(2));
        http = new Http(stack.gateway());
    }

    @AfterAll
    static void down() throws java.io.IOException {
        LocalStack.down(runDir);
        try (var paths = Files.walk(runDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void twoReplicasShareTheWorkAndOneKilledHardLosesNothing() throws Exception {
        eventually(Duration.ofSeconds(60), () -> GROUPS.stream().allMatch(g -> members(g).size() == 2
                && members(g).stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())));
        Map<String, Integer> partitions = new java.util.HashMap<>();
        GROUPS.forEach(g -> partitions.put(g, members(g).stream().mapToInt(m -> m.assignment().topicPartitions()
                .size()).sum()));

        DemoHost before = DemoHost.create(stack, http, "replicas-a", 4, "0.450000");
        List<Client> clients = openClients(50, "a");
        String winner = exactlyOneOf(rentAtOnce(clients, wholeOffer(before, clients.get(0).key)), clients);

        stack.kill(LocalStack.Svc.RENTAL, 1);
        stack.kill(LocalStack.Svc.BILLING, 1);
        // the survivor of each group owns every partition the two shared
        eventually(Duration.ofSeconds(90), () -> GROUPS.stream().allMatch(g -> members(g).size() == 1
                && members(g).get(0).assignment().topicPartitions().size() == partitions.get(g)));

        // what was accepted before the kill is still there and goes on
        Client first = clients.stream().filter(c -> winner.equals(c.instanceId)).findFirst().orElseThrow();
        eventually(Duration.ofSeconds(60), () -> "online".equals(first.instance().text("status")));
        DemoHost after = DemoHost.create(stack, http, "replicas-b", 4, "0.450000");
        List<Client> more = openClients(50, "b");
        exactlyOneOf(rentAtOnce(more, wholeOffer(after, more.get(0).key)), more);

        // a deposit repeated with its idempotency key books nothing twice, on whichever replica
        for (Client c : clients.stream().filter(c -> c != first).limit(5).toList()) {
            http.send("POST", "/api/v1/account/deposits", c.key, Map.of("amount", "50.00"),
                    Map.of("Idempotency-Key", "first-" + c.key.substring(4, 14))).expect(201);
            assertThat(c.balanceMicros()).isEqualTo(Money.parseMicros("50.00"));
        }
        // the winner ends its rental: charged exactly its cost, the host earns the rest of the fee
        http.delete("/api/v1/instances/" + first.instanceId, first.key).expect(202);
        eventually(Duration.ofSeconds(60), () -> "terminated".equals(first.instance().text("status")));
        eventually(Duration.ofSeconds(90), () -> first.balanceMicros() < Money.parseMicros("50.00"));
        long settled = MarketplaceEndToEndTest.settledBalance(first::balanceMicros);
        long charged = Money.parseMicros("50.00") - settled;
        assertThat(charged).isPositive();
        assertThat(Money.parseMicros(first.instance().text("costSoFar"))).isEqualTo(charged);
    }

    /** A client with a deposit of $50 (key "first-...", which a later repeat uses again). */
    static final class Client {
        final String key;
        String instanceId;

        Client(String key) {
            this.key = key;
        }

        Http.Answer instance() {
            return http.get("/api/v1/instances/" + instanceId, key).expect(200);
        }

        long balanceMicros() {
            return Money.parseMicros(http.get("/api/v1/account", key).expect(200).text("balance"));
        }
    }

    private static List<Client> openClients(int n, String batch) {
        List<Client> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = http.post("/api/v1/accounts", null, Map.of("name", "r" + batch + i, "email",
                    "r" + batch + i + "@example.com", "role", "client")).expect(201).text("apiKey");
            http.send("POST", "/api/v1/account/deposits", key, Map.of("amount", "50.00"),
                    Map.of("Idempotency-Key", "first-" + key.substring(4, 14))).expect(201);
            out.add(new Client(key));
        }
        return out;
    }

    private static String wholeOffer(DemoHost host, String key) {
        JsonNode offers = http.get("/api/v1/offers?q=machine_id%3D" + host.machineId(), key).expect(200).body()
                .get("offers");
        return find(offers, host.machineId(), 4).get("id").asText();
    }

    private static List<Http.Answer> rentAtOnce(List<Client> clients, String offerId) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients.size());
        try {
            List<Future<Http.Answer>> answers = new ArrayList<>();
            for (Client c : clients) {
                answers.add(pool.submit(() -> http.post("/api/v1/instances", c.key, Map.of("offerId", offerId,
                        "image", "busybox", "diskGb", 10, "launchMode", "args"))));
            }
            List<Http.Answer> out = new ArrayList<>();
            for (var a : answers) {
                out.add(a.get());
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    /** Exactly one rent of the same GPUs was placed: it gets online, every other one was refused. */
    private static String exactlyOneOf(List<Http.Answer> answers, List<Client> clients) {
        Set<Integer> statuses = new TreeSet<>();
        for (int i = 0; i < answers.size(); i++) {
            Http.Answer a = answers.get(i);
            statuses.add(a.status());
            if (a.status() == 202) {
                clients.get(i).instanceId = a.text("id");
            }
        }
        assertThat(statuses).as(answers.stream().filter(a -> a.status() != 202 && a.status() != 409)
                .map(a -> a.status() + " " + a.body()).toList().toString()).isSubsetOf(202, 409);
        List<Client> accepted = clients.stream().filter(c -> c.instanceId != null).toList();
        // an answer given before the decision (202 creating) may still end refused: wait for each
        eventually(Duration.ofSeconds(60), () -> accepted.stream().allMatch(c -> Set.of("online", "rental_error")
                .contains(c.instance().text("status"))));
        List<Client> placed = accepted.stream().filter(c -> "online".equals(c.instance().text("status"))).toList();
        assertThat(placed).as("refusals: %s; after the answer: %s", answers.stream().filter(a -> a.status() == 409)
                .map(a -> a.text("detail")).distinct().toList(), accepted.stream()
                .map(c -> c.instance().text("status") + " " + c.instance().text("statusReason")).distinct().toList())
                .hasSize(1);
        return placed.get(0).instanceId;
    }

    private static List<MemberDescription> members(String group) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            return new ArrayList<>(d.members());
        } catch (Exception e) {
            return List.of();
        }
    }
}
