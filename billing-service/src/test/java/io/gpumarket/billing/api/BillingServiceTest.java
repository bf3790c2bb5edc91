package io.gpumarket.billing.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.gpumarket.billing.domain.PayoutRun;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.Topics;
import io.gpumarket.events.account.AccountEvent;
import io.gpumarket.events.money.Money;
import io.gpumarket.events.rental.Contract;
import io.gpumarket.events.rental.RentalType;
import io.gpumarket.events.usage.UsageEvent.UsageRecorded;
import io.gpumarket.kit.api.Caller;
import io.gpumarket.testsupport.GpumarketTestResource;
import io.gpumarket.testsupport.LogWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** billing-service against a real broker and a real PostgreSQL: usage in, money and standing out. */
@QuarkusTest
@QuarkusTestResource(value = GpumarketTestResource.class, initArgs = @ResourceArg(name = "db", value = "billing_test"))
class BillingServiceTest {
    private static final String OPERATOR = "operator";

    @Inject
    DataSource db;

    @Test
    void chargesEachIntervalOnceHoweverOftenTheLogRepeatsIt() {
        String client = open("client");
        String host = open("host");
        as(client, "client").body(Map.of("amount", "10.50")).header("Idempotency-Key", "dep-1")
                .post("/api/v1/account/deposits").then().statusCode(201).body("balance", equalTo("10.500000"));
        // the same idempotency key books nothing twice
        as(client, "client").body(Map.of("amount", "10.50")).header("Idempotency-Key", "dep-1")
                .post("/api/v1/account/deposits").then().statusCode(201).body("balance", equalTo("10.500000"));

        // 10 minutes of a 1-GPU rental at $0.45/h in 60 intervals of 10 s, each written two or three
        // times (a retried delivery), some late and out of order
        Contract contract = contract("RTX 4090", 450_000, 0, 0);
        String machine = "m-" + UUID.randomUUID();
        String instance = "i-" + UUID.randomUUID();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(600);
        List<UsageRecorded> intervals = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            intervals.add(usage(machine, instance, client, host, contract, t0.plusSeconds(10L * i), 10, 10, 0,
                    10L * (i + 1), 10L * (i + 1), 0));
        }
        List<Event> log = new ArrayList<>();
        for (int i = 0; i < intervals.size(); i++) {
            log.add(intervals.get(i));
            log.add(intervals.get(i));
            if (i % 3 == 0) {
                log.add(intervals.get(i));
            }
            if (i > 5) {
                log.add(intervals.get(i - 5));
            }
        }
        publish(log.toArray(Event[]::new));
        awaitBalance(client, "client", "10.425000"); // $0.45 / 6
        awaitBalance(host, "host", "0.056250"); // 75 %
        // the ledger groups the 60 charges per minute: 10 lines, adding up to the charge
        List<Map<String, Object>> lines = as(client, "client").get("/api/v1/account/ledger?limit=500").then()
                .statusCode(200).extract().path("entries");
        List<Map<String, Object>> charges = lines.stream().filter(l -> "charge".equals(l.get("kind"))).toList();
        assertThat(charges.stream().mapToLong(l -> Money.parseMicros((String) l.get("amount"))).sum())
                .isEqualTo(-75_000);
        assertThat(charges.stream().mapToInt(l -> (Integer) l.get("entries")).sum()).isEqualTo(60);
        assertThat(charges).hasSizeBetween(10, 11);
        assertThat(charges).allSatisfy(l -> assertThat(l.get("instanceId")).isEqualTo(instance));
    }

    @Test
    void warnsSuspendsAtZeroAndADepositReactivates() {
        String client = open("client");
        String host = open("host");
        deposit(client, "1.00");
        Contract contract = contract("RTX 4090", 3_600_000, 0, 0); // $3.60 per hour: $0.001 per second
        String machine = "m-" + UUID.randomUUID();
        String instance = "i-" + UUID.randomUUID();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // 800 s: $0.80 charged, $0.20 left, less than an hour of burn
        publish(usage(machine, instance, client, host, contract, t0, 800, 800, 0, 800, 800, 0));
        awaitBalance(client, "client", "0.200000");
        awaitStatus(client, "active", true);
        // another 300 s: the balance is below zero and the account suspended
        publish(usage(machine, instance, client, host, contract, t0.plusSeconds(800), 300, 300, 0, 1_100, 1_100, 0));
        awaitStatus(client, "suspended", true);
        List<Event> standing = LogWriter.readAll(kafka(), Topics.ACCOUNTS.name()).stream()
                .filter(e -> e.aggregateId().equals(client)).toList();
        assertThat(standing).filteredOn(e -> e instanceof AccountEvent.LowBalanceWarned).hasSize(1);
        assertThat(standing).filteredOn(e -> e instanceof AccountEvent.AccountSuspended).hasSize(1);
        as(client, "client").get("/api/v1/account").then().body("balance", equalTo("-0.100000"));
        // a deposit that leaves the balance above zero reactivates it
        deposit(client, "5.00");
        awaitStatus(client, "active", false);
        as(client, "client").get("/api/v1/account").then().body("balance", equalTo("4.900000"));
    }

    @Test
    void paysHostsWhoseEarningsBeforeTheCutoffReachTheMinimumOnce() {
        String client = open("client");
        String richHost = open("host");
        String poorHost = open("host");
        deposit(client, "100.00");
        Instant cutoff = PayoutRun.latestCutoff(Instant.now());
        Contract contract = contract("RTX 4090", 10_000_000, 0, 0); // $10 per hour
        Instant before = cutoff.minus(Duration.ofHours(3));
        // two hours for the rich host (earns $15), twelve minutes for the poor one (earns $1.50),
        // and an hour after the cutoff for the rich one (not in this week)
        publish(usage("m-1" + richHost, "i-a" + richHost, client, richHost, contract, before, 7_200, 7_200, 0, 7_200,
                7_200, 0),
                usage("m-2" + poorHost, "i-b" + poorHost, client, poorHost, contract, before, 720, 720, 0, 720, 720,
                        0));
        awaitBalance(richHost, "host", "15.000000");
        awaitBalance(poorHost, "host", "1.500000");
        if (cutoff.plus(Duration.ofHours(1)).isBefore(Instant.now())) {
            publish(usage("m-1" + richHost, "i-c" + richHost, client, richHost, contract, cutoff, 3_600, 3_600, 0,
                    3_600, 3_600, 0));
            awaitBalance(richHost, "host", "22.500000");
        }
        String expectedBalance = as(richHost, "host").get("/api/v1/account").then().extract().path("balance");
        List<Map<String, Object>> paid = as(OPERATOR, "operator").post("/api/v1/ops/billing-service/payout-runs")
                .then().statusCode(200).extract().path("payouts");
        assertThat(paid).filteredOn(p -> p.get("hostAccountId").equals(richHost)).singleElement()
                .satisfies(p -> assertThat(p.get("amount")).isEqualTo("15.000000"));
        assertThat(paid).noneMatch(p -> p.get("hostAccountId").equals(poorHost));
        long expectedAfter = Money.parseMicros(expectedBalance) - 15_000_000;
        awaitBalance(richHost, "host", Money.format(expectedAfter));
        // a second run of the same week pays nothing more
        as(OPERATOR, "operator").post("/api/v1/ops/billing-service/payout-runs").then().statusCode(200);
        awaitBalance(richHost, "host", Money.format(expectedAfter));
        as(richHost, "host").get("/api/v1/account/ledger").then().body("entries.findAll { it.kind == 'payout' }",
                hasSize(1));
    }

    @Test
    void aMonthlyStatementAddsUpToTheLedger() {
        String client = open("client");
        String host = open("host");
        deposit(client, "20.00");
        Contract contract = contract("A100 SXM4", 1_234_567, 100_000, 5_000_000);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1_800);
        String machine = "m-" + UUID.randomUUID();
        publish(usage(machine, "i-1" + client, client, host, contract, t0, 600, 600, 2_000_000_000L, 600, 600,
                        2_000_000_000L),
                usage(machine, "i-2" + client, client, host, contract, t0, 0, 900, 0, 0, 900, 0));
        long charged = Math.floorDiv(1_234_567L * 600, 3_600) + Math.floorDiv(100_000L * 50 * 600, 2_592_000)
                + Math.floorDiv(5_000_000L * 2_000_000_000L, 1_000_000_000_000L)
                + Math.floorDiv(100_000L * 50 * 900, 2_592_000);
        awaitBalance(client, "client", Money.format(20_000_000 - charged));
        String month = YearMonth.from(t0.atZone(ZoneOffset.UTC)).toString();
        var statement = as(client, "client").get("/api/v1/account/statements?month=" + month).then().statusCode(200)
                .extract().jsonPath();
        long lineSum = statement.<String>getList("lines.amount").stream().mapToLong(Money::parseMicros).sum();
        long opening = Money.parseMicros(statement.getString("openingBalance"));
        assertThat(opening + lineSum).isEqualTo(Money.parseMicros(statement.getString("closingBalance")));
        assertThat(statement.getString("closingBalance")).isEqualTo(Money.format(20_000_000 - charged));
        assertThat(statement.<String>getList("lines.instanceId")).contains("i-1" + client, "i-2" + client);
        as(client, "client").get("/api/v1/account/statements?month=2026-13").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void aRebuildFromOffsetZeroEqualsTheLiveProjectionRowForRow() throws Exception {
        String client = open("client");
        deposit(client, "3.00");
        publish(usage("m-r", "i-r" + client, client, open("host"), contract("L4", 700_000, 80_000, 0),
                Instant.now().minusSeconds(120), 120, 120, 0, 120, 120, 0));
        awaitBalance(client, "client", Money.format(3_000_000 - Math.floorDiv(700_000L * 120, 3_600)
                - Math.floorDiv(80_000L * 50 * 120, 2_592_000)));
        for (String projection : List.of("billing-ledger", "billing-accounts")) {
            // both projections share one consumer: the other one must keep its offsets and rows
            String other = projection.equals("billing-ledger") ? "billing-accounts" : "billing-ledger";
            String path = "/api/v1/ops/billing-service/projections/" + projection;
            String otherPath = "/api/v1/ops/billing-service/projections/" + other;
            String live = awaitCaughtUpDigest(path);
            String otherLive = awaitCaughtUpDigest(otherPath);
            Map<String, Long> otherOffsets = storedOffsets(other);
            as(OPERATOR, "operator").post(path + "/rebuild").then().statusCode(202);
            assertThat(awaitCaughtUpDigest(path)).as(projection).isEqualTo(live);
            assertThat(awaitCaughtUpDigest(otherPath)).as(other).isEqualTo(otherLive);
            assertThat(storedOffsets(other)).as(other).allSatisfy((partition, next) ->
                    assertThat(next).isGreaterThanOrEqualTo(otherOffsets.getOrDefault(partition, 0L)));
            // and both go on with what is written after the rebuild
            String after = open("client");
            deposit(after, "1.25");
            awaitBalance(after, "client", "1.250000");
        }
    }

    /** The next offsets projection {@code name} has stored, by topic-partition. */
    private Map<String, Long> storedOffsets(String name) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (var c = db.getConnection(); var q = c.prepareStatement(
                "SELECT topic || '-' || partition_, next_offset FROM projection_offset WHERE projection = ?")) {
            q.setString(1, name);
            try (var rows = q.executeQuery()) {
                while (rows.next()) {
                    out.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return out;
    }

    @Test
    void rejectsBadInputWithProblemJson() {
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "email", "not-an-email", "role", "boss"))
                .post("/api/v1/accounts").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItems("email", "role"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"email\":\"a@b.c\",\"role\":\"client\",\"x\":1}")
                .post("/api/v1/accounts").then().statusCode(400).contentType("application/problem+json");
        given().get("/api/v1/account").then().statusCode(401).contentType("application/problem+json");
        String client = open("client");
        as(client, "client").body(Map.of("amount", "0.0000001")).post("/api/v1/account/deposits").then()
                .statusCode(422).body("errors[0].field", equalTo("amount"));
        as(client, "client").body(Map.of("name", "k", "publicKey", "nope")).post("/api/v1/account/ssh-keys").then()
                .statusCode(422);
        as(client, "client").get("/api/v1/account/ledger?next=not-a-cursor").then().statusCode(400);
        as(client, "client").post("/api/v1/ops/billing-service/payout-runs").then().statusCode(403);
    }

    @Test
    void issuesListsAndRevokesApiKeysWithOnlyTheirHashesOnTheLog() throws Exception {
        String client = open("client");
        String other = open("client");
        // ten keys issued at once by one account: none lost, each numbered after the other
        var pool = java.util.concurrent.Executors.newFixedThreadPool(10);
        List<java.util.concurrent.Future<Map<String, Object>>> issued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            issued.add(pool.submit(() -> as(client, "client").body(Map.of("name", "key " + n, "readOnly", n % 2 == 0))
                    .post("/api/v1/account/api-keys").then().statusCode(201).extract().<Map<String, Object>>path("")));
        }
        List<Map<String, Object>> created = new ArrayList<>();
        for (var f : issued) {
            created.add(f.get());
        }
        pool.shutdown();
        assertThat(created).allSatisfy(k -> assertThat((String) k.get("apiKey")).startsWith("gpm_").hasSize(47));
        List<Map<String, Object>> listed = as(client, "client").get("/api/v1/account/api-keys").then().statusCode(200)
                .extract().path("keys");
        assertThat(listed).hasSize(11); // the first key and the ten
        assertThat(listed).allSatisfy(k -> assertThat(k).doesNotContainKey("apiKey"));
        assertThat(listed).filteredOn(k -> Boolean.TRUE.equals(k.get("readOnly"))).hasSize(5);
        List<AccountEvent.ApiKeyIssued> onLog = LogWriter.readAll(kafka(), Topics.ACCOUNTS.name()).stream()
                .filter(e -> e.aggregateId().equals(client) && e instanceof AccountEvent.ApiKeyIssued)
                .map(e -> (AccountEvent.ApiKeyIssued) e).toList();
        assertThat(onLog).hasSize(11);
        assertThat(onLog.stream().map(e -> e.meta().seq()).distinct()).hasSize(11);
        assertThat(onLog).allSatisfy(e -> assertThat(created.stream().map(k -> (String) k.get("apiKey")))
                .doesNotContain(e.keyHash()));
        assertThat(onLog.stream().map(AccountEvent.ApiKeyIssued::keyHash)).containsAll(created.stream()
                .map(k -> io.gpumarket.events.account.KeyHash.of((String) k.get("apiKey"))).toList());

        // another account's key is not found; revoking removes it from the list
        String id = (String) created.get(0).get("id");
        as(other, "client").delete("/api/v1/account/api-keys/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        as(client, "client").delete("/api/v1/account/api-keys/" + id).then().statusCode(204);
        as(client, "client").delete("/api/v1/account/api-keys/" + id).then().statusCode(404);
        assertThat(LogWriter.readAll(kafka(), Topics.ACCOUNTS.name())).filteredOn(e -> e.aggregateId().equals(client)
                && e instanceof AccountEvent.ApiKeyRevoked r && r.keyId().equals(id)).hasSize(1);
        as(client, "client").get("/api/v1/account/api-keys").then().body("keys", hasSize(10));

        // the last live key cannot be revoked; names are required and bounded
        List<String> othersKeys = as(other, "client").get("/api/v1/account/api-keys").then().extract().path("keys.id");
        as(other, "client").delete("/api/v1/account/api-keys/" + othersKeys.get(0)).then().statusCode(409);
        as(client, "client").body(Map.of("name", "x".repeat(101))).post("/api/v1/account/api-keys").then()
                .statusCode(400).body("errors[0].field", org.hamcrest.Matchers.containsString("name"));
        as(client, "client").body(Map.of("readOnly", true)).post("/api/v1/account/api-keys").then().statusCode(400);
    }

    static Contract contract(String model, long gpuPerHour, long storagePerGbMonth, long perTb) {
        return new Contract(RentalType.ONDEMAND, model, 1, 50, gpuPerHour, storagePerGbMonth, perTb,
                Instant.now().plus(Duration.ofDays(30)));
    }

    static UsageRecorded usage(String machine, String instance, String client, String host, Contract contract,
            Instant start, long online, long storage, long traffic, long onlineTotal, long storageTotal,
            long trafficTotal) {
        Instant end = start.plusSeconds(Math.max(online, storage));
        UUID id = UUID.nameUUIDFromBytes((instance + ":" + end).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new UsageRecorded(EventMeta.of(id, machine, 1, end), instance, client, host, start, end, contract, online,
                storage, traffic, onlineTotal, storageTotal, trafficTotal, 0);
    }

    private static void publish(Event... events) {
        LogWriter.publish(kafka(), events);
    }

    private static String kafka() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    private static String open(String role) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("name", "Test " + role, "email", role + "@example.com", "role", role))
                .post("/api/v1/accounts").then().statusCode(201).body("apiKey", notNullValue())
                .extract().path("id");
    }

    private static void deposit(String account, String amount) {
        as(account, "client").body(Map.of("amount", amount)).post("/api/v1/account/deposits").then().statusCode(201);
    }

    private static RequestSpecification as(String account, String role) {
        return given().contentType(ContentType.JSON).header(Caller.ACCOUNT_HEADER, account)
                .header(Caller.ROLE_HEADER, role);
    }

    private static void awaitBalance(String account, String role, String expected) {
        String[] balance = new String[1];
        LogWriter.await(account + " balance " + expected, Duration.ofSeconds(20), () -> {
            balance[0] = as(account, role).get("/api/v1/account").then().statusCode(200).extract().path("balance");
            return expected.equals(balance[0]);
        });
    }

    private static void awaitStatus(String account, String status, boolean lowBalance) {
        LogWriter.await(account + " " + status, Duration.ofSeconds(20), () -> {
            var a = as(account, "client").get("/api/v1/account").then().statusCode(200).extract().jsonPath();
            return status.equals(a.getString("status")) && lowBalance == (a.getString("lowBalanceAt") != null);
        });
    }

    private static String awaitCaughtUpDigest(String path) {
        String[] digest = new String[1];
        LogWriter.await(path + " caught up", Duration.ofSeconds(30), () -> {
            var d = as(OPERATOR, "operator").get(path + "/digest").then().statusCode(200).extract().jsonPath();
            digest[0] = d.getString("digest");
            return d.getBoolean("caughtUp");
        });
        return digest[0];
    }
}
