package io.gpumarket.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.events.Event;
import io.gpumarket.events.Topics;
import io.gpumarket.events.ledger.LedgerEvent;
import io.gpumarket.events.money.Money;
import io.gpumarket.events.usage.UsageEvent.UsageRecorded;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole marketplace through the gateway, on one shared local stack (a real Kafka broker
 * process, a real PostgreSQL, every service from its packaged jar, simulated host agents).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MarketplaceEndToEndTest {
    static final String SSH_KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ada@laptop";
    static Path runDir;
    static LocalStack stack;
    static Http http;
    static DemoHost host;

    @BeforeAll
    static void upOnce() throws Exception {
        runDir = Files.createTempDirectory("gpumarket-e2e");
        stack = LocalStack.up(new LocalStack.Options(Path.of("..").toAbsolutePath().normalize(), runDir, true,
                "gpm_operator_e2e").withAdjustableClocks());
        http = new Http(stack.gateway());
        host = DemoHost.create(stack, http, "e2e", 4, "0.450000");
    }

    @AfterAll
    static void down() throws java.io.IOException {
        LocalStack.down(runDir);
        if (!Boolean.getBoolean("gpumarket.e2e.keep")) {
            try (var paths = Files.walk(runDir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void aRentFlowsFromListingToTerminationWithChargesAndEarnings() {
        Client ada = Client.open("ada", "20.00");
        // the host's machine is in search, with its full price
        JsonNode offers = http.get("/api/v1/offers?q=gpu_name%3DRTX_4090%20num_gpus%3D2&order=dph", ada.key)
                .expect(200).body().get("offers");
        JsonNode offer = find(offers, host.machineId(), 2);
        assertThat(offer.get("pricePerHour").asText()).isEqualTo("0.900000");

        String id = ada.rent(offer.get("id").asText()).expect(202).text("id");
        eventually(Duration.ofSeconds(30), () -> "online".equals(ada.instance(id).text("status")));
        // the two GPUs are out of search at once
        assertThat(chunkSizes(host.machineId(), ada)).containsExactly(1, 2);
        // charges reach the balance while it runs
        eventually(Duration.ofSeconds(30), () -> ada.balanceMicros() < Money.parseMicros("20.00"));

        http.delete("/api/v1/instances/" + id, ada.key).expect(202);
        eventually(Duration.ofSeconds(30), () -> "terminated".equals(ada.instance(id).text("status")));
        assertThat(chunkSizes(host.machineId(), ada)).containsExactly(1, 2, 4);
        long after = settledBalance(ada);
        LocalStack.sleep(6_000);
        assertThat(ada.balanceMicros()).as("charges stop at termination").isEqualTo(after);

        long charged = Money.parseMicros("20.00") - after;
        assertThat(charged).isPositive();
        assertThat(Money.parseMicros(ada.instance(id).text("costSoFar"))).isEqualTo(charged);
        long earned = sumLedger(host.hostKey(), "earning");
        assertThat(earned).as("the host earns the charge minus the 25 % fee, rounded once")
                .isEqualTo(charged - Math.floorDiv(charged * 2500, 10_000));
    }

    @Test
    @Order(2)
    void refusalsAreConflictsAndOtherAccountsSeeNothing() {
        Client poor = Client.open("poor", "0.10");
        JsonNode offers = http.get("/api/v1/offers", poor.key).expect(200).body().get("offers");
        Http.Answer refused = poor.rent(find(offers, host.machineId(), 4).get("id").asText());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("detail")).startsWith("insufficient_balance");

        Client rich = Client.open("rich", "50.00");
        String whole = find(offers, host.machineId(), 4).get("id").asText();
        String id = rich.rent(whole).expect(202).text("id");
        Http.Answer taken = rich.rent(whole);
        assertThat(taken.status()).isEqualTo(409);

        assertThat(http.get("/api/v1/instances/" + id, poor.key).status()).isEqualTo(404);
        assertThat(http.delete("/api/v1/instances/" + id, poor.key).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/machines/" + host.machineId(), poor.key).status()).isEqualTo(403);
        assertThat(http.get("/api/v1/account", "gpm_not_a_key").status()).isEqualTo(401);
        Http.Answer unknown = http.get("/api/v1/nowhere", poor.key);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.headers().get("content-type")).containsExactly("application/problem+json");

        http.delete("/api/v1/instances/" + id, rich.key).expect(202);
        eventually(Duration.ofSeconds(30), () -> "terminated".equals(rich.instance(id).text("status")));
    }

    @Test
    @Order(3)
    void servicesKilledHardMidRentalLoseNothingAndChargeNothingTwice() {
        Client bob = Client.open("bob", "30.00");
        JsonNode offers = http.get("/api/v1/offers", bob.key).expect(200).body().get("offers");
        String id = bob.rent(find(offers, host.machineId(), 1).get("id").asText()).expect(202).text("id");
        eventually(Duration.ofSeconds(30), () -> "online".equals(bob.instance(id).text("status")));
        LocalStack.sleep(6_000);

        stack.kill(LocalStack.Svc.BILLING);
        LocalStack.sleep(6_000);
        stack.startService(LocalStack.Svc.BILLING);
        stack.awaitReady(LocalStack.Svc.BILLING);
        stack.kill(LocalStack.Svc.RENTAL);
        LocalStack.sleep(3_000);
        stack.startService(LocalStack.Svc.RENTAL);
        stack.awaitReady(LocalStack.Svc.RENTAL);
        LocalStack.sleep(6_000);

        http.delete("/api/v1/instances/" + id, bob.key).expect(202);
        eventually(Duration.ofSeconds(30), () -> "terminated".equals(bob.instance(id).text("status")));
        long balance = settledBalance(bob);

        List<UsageRecorded> usage = read(Topics.USAGE.name()).stream()
                .filter(e -> e instanceof UsageRecorded u && u.instanceId().equals(id))
                .map(UsageRecorded.class::cast).toList();
        assertThat(usage).hasSizeGreaterThan(3);
        for (int i = 1; i < usage.size(); i++) {
            assertThat(usage.get(i).start()).as("intervals follow each other, none lost or repeated")
                    .isEqualTo(usage.get(i - 1).end());
        }
        UsageRecorded last = usage.get(usage.size() - 1);
        var c = last.contract();
        long expected = Math.floorDiv(c.gpuPricePerHourMicros() * c.numGpus() * last.onlineSecondsTotal(), 3600)
                + Math.floorDiv(c.storagePricePerGbMonthMicros() * c.diskGb() * last.storageSecondsTotal(), 2_592_000);
        List<LedgerEvent.UsageCharged> charges = read(Topics.LEDGER.name()).stream()
                .filter(e -> e instanceof LedgerEvent.UsageCharged u && u.instanceId().equals(id))
                .map(LedgerEvent.UsageCharged.class::cast).toList();
        assertThat(new HashSet<>(charges.stream().map(LedgerEvent::entryId).toList())).hasSize(charges.size());
        long charged = -charges.stream().mapToLong(LedgerEvent::amountMicros).sum();
        assertThat(charged).as("price x online time, to the micro-dollar").isEqualTo(expected);
        assertThat(Money.parseMicros("30.00") - balance).isEqualTo(charged);
    }

    @Test
    @Order(4)
    void searchFiltersOrdersAndPricesEachRentalTypeThroughTheGateway() {
        Client eve = Client.open("eve", "20.00");
        String mine = "machine_id=" + host.machineId();
        // 4 × RTX 4090 at $0.45/GPU-h, storage $0.10/GB-month, bandwidth $2/TB, min bid $0.10, max discount 0.4
        JsonNode page = search(eve, Map.of("q", "gpu_name=RTX_4090 num_gpus>=2 " + mine, "order", "-num_gpus",
                "diskGb", "100"));
        assertThat(page.get("total").asInt()).isEqualTo(2);
        JsonNode four = page.get("offers").get(0);
        assertThat(four.get("numGpus").asInt()).isEqualTo(4);
        assertThat(four.get("pricePerHour").asText()).isEqualTo("1.800000");
        // + 100 GB × $0.10 / 720 h (rounded up) + 1 GB/h × $2/TB
        assertThat(four.get("totalPerHour").asText()).isEqualTo("1.815889");
        assertThat(page.get("offers").get(1).get("numGpus").asInt()).isEqualTo(2);

        JsonNode bid = search(eve, Map.of("q", mine + " num_gpus=2", "type", "interruptible")).get("offers").get(0);
        assertThat(bid.get("pricePerHour").asText()).isEqualTo("0.200000");
        // the listing ends in (just under) 90 days: two months fit, three do not
        JsonNode reserved = search(eve, Map.of("q", mine + " num_gpus=2", "type", "reserved", "reservedMonths", "2"))
                .get("offers").get(0);
        assertThat(reserved.get("pricePerHour").asText()).as("0.90 less 0.4 × 2/3 (26.66 %), rounded up")
                .isEqualTo("0.660060");
        assertThat(search(eve, Map.of("q", mine, "type", "reserved", "reservedMonths", "3")).get("total").asInt())
                .isZero();

        JsonNode none = search(eve, Map.of("q", mine + " num_gpus>=2", "diskGb", "5000"));
        assertThat(none.get("total").asInt()).isZero();
        assertThat(none.get("explanation").asText()).contains("diskGb=5000 matched 0").contains("without diskGb=5000 → 2");
        Http.Answer bad = http.get("/api/v1/offers?q=gpu_nam%3DRTX_4090", eve.key);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text("detail")).contains("unknown field 'gpu_nam'").contains("valid fields");

        // maintenance mode (node-service) takes the machine out of search (offer-service) at once
        http.put("/api/v1/machines/" + host.machineId() + "/maintenance-mode", host.hostKey(), Map.of("enabled", true))
                .expect(200);
        eventually(Duration.ofSeconds(10), () -> chunkSizes(host.machineId(), eve).isEmpty());
        http.put("/api/v1/machines/" + host.machineId() + "/maintenance-mode", host.hostKey(), Map.of("enabled", false))
                .expect(200);
        eventually(Duration.ofSeconds(10), () -> chunkSizes(host.machineId(), eve).equals(List.of(1, 2, 4)));
    }

    @Test
    @Order(5)
    void extendingTheListingExtendsTheLiveContracts() {
        Client fay = Client.open("fay", "20.00");
        JsonNode offers = http.get("/api/v1/offers?q=machine_id%3D" + host.machineId(), fay.key).expect(200).body()
                .get("offers");
        String id = fay.rent(find(offers, host.machineId(), 1).get("id").asText()).expect(202).text("id");
        eventually(Duration.ofSeconds(30), () -> "online".equals(fay.instance(id).text("status")));
        String before = fay.instance(id).text("endDate");
        String later = java.time.Instant.parse(before).plus(30, java.time.temporal.ChronoUnit.DAYS).toString();
        Map<String, Object> terms = new java.util.HashMap<>(DemoHost.listing("0.450000"));
        terms.put("endDate", later);
        Http.Answer listed = http.put("/api/v1/machines/" + host.machineId() + "/listing", host.hostKey(), terms)
                .expect(200);
        assertThat(listed.body().get("extension").get("extended").asBoolean()).isTrue();
        eventually(Duration.ofSeconds(10), () -> later.equals(fay.instance(id).text("endDate")));
        http.delete("/api/v1/instances/" + id, fay.key).expect(202);
        eventually(Duration.ofSeconds(30), () -> "terminated".equals(fay.instance(id).text("status")));
    }

    @Test
    @Order(6)
    void announcedMaintenanceNotifiesTheRenterAndHidesTheOffersFromItsStart() {
        Client gil = Client.open("gil", "20.00");
        String q = "/api/v1/offers?q=machine_id%3D" + host.machineId();
        String id = gil.rent(find(http.get(q, gil.key).expect(200).body().get("offers"), host.machineId(), 1)
                .get("id").asText()).expect(202).text("id");
        eventually(Duration.ofSeconds(30), () -> "online".equals(gil.instance(id).text("status")));

        String start = java.time.Instant.now().plusSeconds(4).toString();
        http.post("/api/v1/machines/" + host.machineId() + "/maintenance", host.hostKey(),
                Map.of("start", start, "durationHours", new java.math.BigDecimal("0.25"), "reason", "replacing a fan")).expect(201);
        eventually(Duration.ofSeconds(10), () -> gil.instance(id).body().get("notices").size() == 1);
        JsonNode notice = gil.instance(id).body().get("notices").get(0);
        assertThat(notice.get("kind").asText()).isEqualTo("maintenance");
        assertThat(notice.get("message").asText()).contains("replacing a fan");
        assertThat(java.time.Instant.parse(notice.get("start").asText())).isEqualTo(java.time.Instant.parse(start)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));

        eventually(Duration.ofSeconds(15), () -> http.get(q, gil.key).expect(200).body().get("offers").isEmpty());
        assertThat(http.get("/api/v1/machines/" + host.machineId(), host.hostKey()).expect(200).text("status"))
                .isEqualTo("maintenance");
        assertThat(gil.instance(id).text("status")).as("running instances go on").isEqualTo("online");
        http.delete("/api/v1/instances/" + id, gil.key).expect(202);
        eventually(Duration.ofSeconds(30), () -> "terminated".equals(gil.instance(id).text("status")));
    }

    @Test
    @Order(7)
    void rebuildingFromOffsetZeroGivesExactlyTheLiveState() {
        for (var projection : List.of(List.of("offer-service", "offer-market"), List.of("billing-service", "billing-ledger"),
                List.of("billing-service", "billing-accounts"), List.of("rental-service", "rental-instances"),
                List.of("rental-service", "rental-catalog"))) {
            String base = "/api/v1/ops/" + projection.get(0) + "/projections/" + projection.get(1);
            String live = http.get(base + "/digest", stack.operatorKey()).expect(200).text("digest");
            http.post(base + "/rebuild", stack.operatorKey(), null).expect(202);
            eventually(Duration.ofSeconds(60), () -> http.get(base + "/digest", stack.operatorKey()).expect(200)
                    .body().get("caughtUp").asBoolean());
            assertThat(http.get(base + "/digest", stack.operatorKey()).text("digest")).as(projection.toString())
                    .isEqualTo(live);
        }
    }

    /** A client account with credit and an SSH key. */
    record Client(String key, String sshKeyId) {
        static Client open(String name, String deposit) {
            String key = http.post("/api/v1/accounts", null,
                    Map.of("name", name, "email", name + "@example.com", "role", "client")).expect(201).text("apiKey");
            http.post("/api/v1/account/deposits", key, Map.of("amount", deposit)).expect(201);
            String ssh = http.post("/api/v1/account/ssh-keys", key, Map.of("name", "laptop", "publicKey", SSH_KEY))
                    .expect(201).text("id");
            return new Client(key, ssh);
        }

        Http.Answer rent(String offerId) {
            return http.post("/api/v1/instances", key, Map.of("offerId", offerId, "image", "pytorch/pytorch:latest",
                    "diskGb", 40, "launchMode", "ssh", "sshKeyId", sshKeyId, "type", "ondemand"));
        }

        Http.Answer instance(String id) {
            return http.get("/api/v1/instances/" + id, key).expect(200);
        }

        long balanceMicros() {
            return Money.parseMicros(http.get("/api/v1/account", key).expect(200).text("balance"));
        }
    }

    /** The balance once every usage interval has been charged (two equal readings 6 s apart). */
    static long settledBalance(Client c) {
        long previous = c.balanceMicros();
        while (true) {
            LocalStack.sleep(6_000);
            long now = c.balanceMicros();
            if (now == previous) {
                return now;
            }
            previous = now;
        }
    }

    static long sumLedger(String key, String kind) {
        long sum = 0;
        String next = null;
        do {
            JsonNode page = http.get("/api/v1/account/ledger?limit=500" + (next == null ? "" : "&next=" + next), key)
                    .expect(200).body();
            for (JsonNode e : page.get("entries")) {
                if (e.get("kind").asText().equals(kind)) {
                    sum += Money.parseMicros(e.get("amount").asText());
                }
            }
            next = page.get("next").isNull() ? null : page.get("next").asText();
        } while (next != null);
        return sum;
    }

    static JsonNode search(Client c, Map<String, String> params) {
        StringBuilder query = new StringBuilder();
        params.forEach((k, v) -> query.append(query.length() == 0 ? "?" : "&").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
        return http.get("/api/v1/offers" + query, c.key).expect(200).body();
    }

    static List<Integer> chunkSizes(String machineId, Client c) {
        JsonNode offers = http.get("/api/v1/offers?q=machine_id%3D" + machineId, c.key).expect(200).body().get("offers");
        return StreamSupport.stream(offers.spliterator(), false).map(o -> o.get("numGpus").asInt()).sorted().toList();
    }

    static JsonNode find(JsonNode offers, String machineId, int gpus) {
        for (JsonNode o : offers) {
            if (o.get("machineId").asText().equals(machineId) && o.get("numGpus").asInt() == gpus) {
                return o;
            }
        }
        throw new AssertionError("no " + gpus + "-GPU offer of " + machineId + " in " + offers);
    }

    static List<Event> read(String topic) {
        return io.gpumarket.testsupport.LogWriter.readAll(stack.kafkaBootstrapServers(), topic);
    }

    static void eventually(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + timeout);
            }
            LocalStack.sleep(200);
        }
    }
}
