package io.gpumarket.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
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
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The gateway authenticates from its own projection of gpumarket.accounts (real broker, real PostgreSQL). */
@QuarkusTest
@QuarkusTestResource(value = GpumarketTestResource.class, initArgs = @ResourceArg(name = "db", value = "gateway_test"))
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
