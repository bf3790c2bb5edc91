package io.gpumarket.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.notNullValue;

import io.gpumarket.events.EventMeta;
import io.gpumarket.events.account.AccountEvent.AccountOpened;
import io.gpumarket.events.account.AccountEvent.ApiKeyIssued;
import io.gpumarket.events.account.AccountEvent.ApiKeyRevoked;
import io.gpumarket.events.account.KeyHash;
import io.gpumarket.events.account.Role;
import io.gpumarket.events.Event;
import io.gpumarket.testsupport.GpumarketTestResource;
import io.gpumarket.testsupport.LogWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The gateway authenticates from its own projection of gpumarket.accounts (real broker, real PostgreSQL). */
@QuarkusTest
@QuarkusTestResource(value = GpumarketTestResource.class, initArgs = @ResourceArg(name = "db", value = "gateway_test"))
@QuarkusTestResource(SilentUpstream.class)
class GatewayAuthenticationTest {

    @Test
    void knownKeysPassRevokedAndUnknownKeysAre401AndEveryErrorIsProblemJson() throws Exception {
        String account = UUID.randomUUID().toString();
        String key = "gpm_" + UUID.randomUUID();
        publish(new AccountOpened(EventMeta.of(UUID.randomUUID(), account, 1, Instant.now()), "Ops", "ops@example.com",
                Role.OPERATOR), new ApiKeyIssued(EventMeta.of(UUID.randomUUID(), account, 2, Instant.now()), "k-1",
                KeyHash.of(key), false));
        awaitStatus(key, "/api/v1/ops/gateway/projections", 200);

        // authenticated and routed: billing is not running here, so the gateway answers 502
        given().header("Authorization", "Bearer " + key).get("/api/v1/account").then().statusCode(502)
                .contentType("application/problem+json").header("X-Request-Id", notNullValue());
        given().header("Authorization", "Bearer " + key).get("/api/v1/ops/gateway/projections").then()
                .statusCode(200).body("name", hasItem("gateway-keys"));
        given().header("Authorization", "Bearer gpm_nobody").get("/api/v1/account").then().statusCode(401)
                .contentType("application/problem+json").body("status", equalTo(401));
        given().get("/api/v1/instances").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + key).get("/api/v1/nowhere").then().statusCode(404)
                .contentType("application/problem+json");
        given().header("X-Request-Id", "trace-42").get("/api/v1/nowhere").then().header("X-Request-Id", "trace-42");

        publish(new ApiKeyRevoked(EventMeta.of(UUID.randomUUID(), account, 3, Instant.now()), "k-1"));
        awaitStatus(key, "/api/v1/ops/gateway/projections", 401);
    }

    @Test
    void readOnlyKeysOnlyReadOperatorPathsNeedAnOperatorAndOddRequestsGetProblemJson() throws Exception {
        String account = UUID.randomUUID().toString();
        String full = "gpm_" + UUID.randomUUID();
        String readOnly = "gpm_" + UUID.randomUUID();
        publish(new AccountOpened(EventMeta.of(UUID.randomUUID(), account, 1, Instant.now()), "C", "c@example.com",
                Role.CLIENT), new ApiKeyIssued(EventMeta.of(UUID.randomUUID(), account, 2, Instant.now()), "k-2",
                KeyHash.of(full), false), new ApiKeyIssued(EventMeta.of(UUID.randomUUID(), account, 3, Instant.now()),
                "k-3", KeyHash.of(readOnly), true, "dashboards"));
        awaitStatus(readOnly, "/api/v1/account", 502);

        // a read-only key reads (502: billing is not running here) but changes nothing
        given().header("Authorization", "Bearer " + readOnly).contentType("application/json").body("{\"amount\":\"1\"}")
                .post("/api/v1/account/deposits").then().statusCode(403).contentType("application/problem+json")
                .body("detail", equalTo("this API key is read-only"));
        given().header("Authorization", "Bearer " + readOnly).delete("/api/v1/instances/x").then().statusCode(403);
        given().header("Authorization", "Bearer " + full).contentType("application/json").body("{\"amount\":\"1\"}")
                .post("/api/v1/account/deposits").then().statusCode(502);
        // operator paths: a client's key is refused at the gateway
        given().header("Authorization", "Bearer " + full).get("/api/v1/ops/gateway/projections").then().statusCode(403)
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer " + full).post("/api/v1/ops/billing-service/payout-runs").then()
                .statusCode(403);
        // outside /api/v1, too long, malformed
        given().get("/nowhere").then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + full).get("/api/v1/offers?q=" + "x".repeat(3000)).then()
                .statusCode(414).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + full).urlEncodingEnabled(false).get("/api/v1/instances/%00").then()
                .statusCode(400).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + full).urlEncodingEnabled(false).get("/api/v1/offers?q=a%1Fb").then()
                .statusCode(400);
        given().header("Authorization", "Bearer " + full).contentType("application/json").body("x".repeat(1_100_000))
                .post("/api/v1/instances").then().statusCode(413).contentType("application/problem+json");
    }

    @Test
    void aFloodOfSearchesGets429WithRetryAfterWhileAnotherKeyStillPasses() throws Exception {
        String flooder = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        String floodKey = "gpm_" + UUID.randomUUID();
        String otherKey = "gpm_" + UUID.randomUUID();
        publish(new AccountOpened(EventMeta.of(UUID.randomUUID(), flooder, 1, Instant.now()), "F", "f@example.com",
                Role.CLIENT), new ApiKeyIssued(EventMeta.of(UUID.randomUUID(), flooder, 2, Instant.now()), "k-f",
                KeyHash.of(floodKey), false), new AccountOpened(EventMeta.of(UUID.randomUUID(), other, 1, Instant.now()),
                "O", "o@example.com", Role.CLIENT), new ApiKeyIssued(EventMeta.of(UUID.randomUUID(), other, 2,
                Instant.now()), "k-o", KeyHash.of(otherKey), false));
        awaitStatus(otherKey, "/api/v1/account", 502);
        awaitStatus(floodKey, "/api/v1/account", 502);

        int limited = 0;
        for (int i = 0; i < 40; i++) {
            var r = given().header("Authorization", "Bearer " + floodKey).get("/api/v1/offers").then().extract();
            if (r.statusCode() == 429) {
                limited++;
                org.assertj.core.api.Assertions.assertThat(Integer.parseInt(r.header("Retry-After"))).isBetween(1, 2);
                org.assertj.core.api.Assertions.assertThat(r.contentType()).startsWith("application/problem+json");
            } else {
                org.assertj.core.api.Assertions.assertThat(r.statusCode()).isEqualTo(502); // passed the limiter
            }
        }
        org.assertj.core.api.Assertions.assertThat(limited).isGreaterThanOrEqualTo(25); // a burst of 10, 2 per second
        given().header("Authorization", "Bearer " + otherKey).get("/api/v1/offers").then().statusCode(502);
        // other budgets of the flooding key are untouched
        given().header("Authorization", "Bearer " + floodKey).get("/api/v1/account").then().statusCode(502);
    }

    @Test
    void aServiceThatDoesNotAnswerIs504AndOneWithEveryConnectionBusyIs503WithRetryAfter() throws Exception {
        String key = knownKey(Role.HOST);

        // node-service is silent here: two calls hold both connections, one waits, the fourth is refused
        var pool = Executors.newFixedThreadPool(4);
        List<Future<ExtractableResponse<Response>>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(pool.submit(() -> given().header("Authorization", "Bearer " + key).get("/api/v1/machines")
                    .then().extract()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (var call : calls) {
            ExtractableResponse<Response> r = call.get(30, TimeUnit.SECONDS);
            statuses.add(r.statusCode());
            assertThat(r.contentType()).startsWith("application/problem+json");
            if (r.statusCode() == 503) {
                assertThat(r.header("Retry-After")).isEqualTo("1");
                assertThat(r.path("detail").toString()).contains("node-service is busy", "was not sent");
            } else {
                assertThat(r.path("detail").toString()).contains("did not answer within 3 s", "may have been carried out");
            }
        }
        pool.shutdown();
        assertThat(statuses).containsOnly(503, 504).contains(503, 504);
    }

    @Test
    void openStatusStreamsLeaveTheConnectionsForCallsFree() throws Exception {
        String key = knownKey(Role.CLIENT);

        // three watchers: more than the two connections and one waiting place calls have
        int before = SilentUpstream.accepted();
        var pool = Executors.newFixedThreadPool(3);
        List<Future<Integer>> streams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String path = "/api/v1/instances/i-" + i + "/status-stream";
            streams.add(pool.submit(() -> given().header("Authorization", "Bearer " + key).get(path).statusCode()));
        }
        // all three under way, each on a connection of its own (through the calls' pool only two would be
        // until the upstream timeout, 3 s, frees one: so look before it)
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (SilentUpstream.accepted() < before + 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(SilentUpstream.accepted()).as("connections the streams opened").isEqualTo(before + 3);
        // rental-service is silent here: the call is sent (504 after the timeout), not refused as busy (503)
        given().header("Authorization", "Bearer " + key).get("/api/v1/instances").then().statusCode(504);
        for (var stream : streams) {
            assertThat(stream.get(30, TimeUnit.SECONDS)).isEqualTo(504);
        }
        pool.shutdown();
    }

    /** A new account's key, once the gateway knows it (billing is not running here: 502). */
    private static String knownKey(Role role) throws InterruptedException {
        String account = UUID.randomUUID().toString();
        String key = "gpm_" + UUID.randomUUID();
        publish(new AccountOpened(EventMeta.of(UUID.randomUUID(), account, 1, Instant.now()), "A", "a@example.com",
                role), new ApiKeyIssued(EventMeta.of(UUID.randomUUID(), account, 2, Instant.now()), "k-" + account,
                KeyHash.of(key), false));
        awaitStatus(key, "/api/v1/account", 502);
        return key;
    }

    private static void publish(Event... events) {
        LogWriter.publish(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class), events);
    }

    private static void awaitStatus(String key, String path, int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = given().header("Authorization", "Bearer " + key).get(path).statusCode();
            if (last == status) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected " + status + " from " + path + " but got " + last);
    }
}
