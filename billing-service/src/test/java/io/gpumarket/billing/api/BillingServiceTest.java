package io.gpumarket.billing.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.gpumarket.events.EventMeta;
import io.gpumarket.events.rental.Contract;
import io.gpumarket.events.rental.RentalType;
import io.gpumarket.events.serde.EventJson;
import io.gpumarket.events.usage.UsageEvent.UsageRecorded;
import io.gpumarket.kit.api.Caller;
import io.gpumarket.testsupport.GpumarketTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** billing-service against a real broker and a real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = GpumarketTestResource.class, initArgs = @ResourceArg(name = "db", value = "billing_test"))
class BillingServiceTest {

    @Test
    void opensAnAccountWhoseBalanceFollowsDepositsAndCharges() throws Exception {
        String client = open("client");
        String host = open("host");
        as(client, "client").body(Map.of("amount", "10.50")).header("Idempotency-Key", "dep-1")
                .post("/api/v1/account/deposits").then().statusCode(201).body("balance", equalTo("10.500000"));
        // the same idempotency key books nothing twice
        as(client, "client").body(Map.of("amount", "10.50")).header("Idempotency-Key", "dep-1")
                .post("/api/v1/account/deposits").then().statusCode(201).body("balance", equalTo("10.500000"));

        // one hour of a 1-GPU rental at $0.45/h, written as rental-service would, twice (a duplicate delivery)
        Contract contract = new Contract(RentalType.ONDEMAND, "RTX 4090", 1, 0, 450_000, 0, 0,
                Instant.now().plusSeconds(86400));
        var usage = new UsageRecorded(EventMeta.of(UUID.randomUUID(), "m-1", 7, Instant.now()), "i-1", client, host,
                Instant.now().minusSeconds(3600), Instant.now(), contract, 3600, 3600, 0, 3600, 3600, 0);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class)),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("gpumarket.usage", "m-1", EventJson.write(usage))).get();
            producer.send(new ProducerRecord<>("gpumarket.usage", "m-1", EventJson.write(usage))).get();
        }
        awaitBalance(client, "client", "10.050000");
        awaitBalance(host, "host", "0.337500");
        as(client, "client").get("/api/v1/account/ledger").then().statusCode(200)
                .body("entries", hasSize(2)).body("entries[0].kind", equalTo("charge"))
                .body("entries[0].entries", equalTo(1))
                .body("entries[0].amount", equalTo("-0.450000"));
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
    }

    private static String open(String role) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("name", "Test " + role, "email", role + "@example.com", "role", role))
                .post("/api/v1/accounts").then().statusCode(201).body("apiKey", notNullValue())
                .extract().path("id");
    }

    private static RequestSpecification as(String account, String role) {
        return given().contentType(ContentType.JSON).header(Caller.ACCOUNT_HEADER, account)
                .header(Caller.ROLE_HEADER, role);
    }

    private static void awaitBalance(String account, String role, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String balance = null;
        while (System.nanoTime() < deadline) {
            balance = as(account, role).get("/api/v1/account").then().statusCode(200).extract().path("balance");
            if (expected.equals(balance)) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(balance).isEqualTo(expected);
    }
}
