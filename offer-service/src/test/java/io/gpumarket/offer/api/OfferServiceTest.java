package io.gpumarket.offer.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.machine.CheckResult;
import io.gpumarket.events.machine.MachineEvent.MachineCameOnline;
import io.gpumarket.events.machine.MachineEvent.MachineRegistered;
import io.gpumarket.events.machine.MachineEvent.MachineWentOffline;
import io.gpumarket.events.machine.MachineEvent.MaintenanceModeChanged;
import io.gpumarket.events.machine.MachineSpec;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalEvent.GpusReleased;
import io.gpumarket.events.rental.RentalType;
import io.gpumarket.testsupport.GpumarketTestResource;
import io.gpumarket.testsupport.LogWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * offer-service on a real broker: machines written to {@code gpumarket.machines} and allocations to
 * {@code gpumarket.rentals} as node- and rental-service would; listings through its own API. The
 * search follows the log live: chunks shrink with allocations and return with releases, and a
 * machine leaves search when it goes offline or into maintenance.
 */
@QuarkusTest
@QuarkusTestResource(value = GpumarketTestResource.class, initArgs = @ResourceArg(name = "db", value = "offer_test"))
class OfferServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final String host = "host-" + UUID.randomUUID();
    private final String machine = UUID.randomUUID().toString();

    private static void publish(Event... events) {
        LogWriter.publish(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class), events);
    }

    private static EventMeta meta(String aggregate) {
        return EventMeta.of(UUID.randomUUID(), aggregate, 0, Instant.now());
    }

    private static RequestSpecification as(String account, String role) {
        return given().header("X-Gpumarket-Account", account).header("X-Gpumarket-Role", role);
    }

    private void register(String id, int gpus, boolean checksPass) {
        publish(new MachineRegistered(meta(id), host, new MachineSpec("rig", "RTX 3090", gpus, 24, 8 * gpus,
                64 * gpus, 2000, "EU-NL", 1000, 1000, 4, 16, null, null),
                List.of(new CheckResult("ram", checksPass, checksPass ? "" : "too little RAM")), "hash"));
    }

    private Map<String, Object> listing(int minGpus, String gpuPrice, Instant end) {
        return Map.of("gpuPricePerHour", gpuPrice, "storagePricePerGbMonth", "0.10", "bandwidthPricePerTb", "2",
                "minGpus", minGpus, "minBidPerHour", "0.1", "reservedDiscountMax", "0.4", "endDate", end.toString());
    }

    /** The chunk sizes search shows for this test's machine. */
    private List<Integer> chunks() {
        return as("client-1", "client").queryParam("q", "machine_id=" + machine).queryParam("order", "num_gpus")
                .get("/api/v1/offers").then().statusCode(200).extract().jsonPath().getList("offers.numGpus", Integer.class);
    }

    private void awaitChunks(String what, List<Integer> expected) {
        LogWriter.await(what + ": chunks " + expected, WAIT, () -> chunks().equals(expected));
    }

    @Test
    void searchFollowsAllocationsReleasesAndMachineHealthLive() {
        Instant end = Instant.now().plus(60, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        register(machine, 8, true);
        publish(new MachineCameOnline(meta(machine), "test"));
        as(host, "host").contentType("application/json").body(listing(2, "0.30", end))
                .put("/api/v1/machines/" + machine + "/listing").then().statusCode(200)
                .body("listing.minGpus", equalTo(2)).body("extension.extended", equalTo(false));
        assertThat(chunks()).as("the PUT answers once search shows it").containsExactly(2, 4, 8);

        publish(new GpusAllocated(meta(machine), "i-1", List.of(0, 1, 2, 3), RentalType.ONDEMAND));
        awaitChunks("after 4 GPUs are allocated", List.of(2, 4));
        publish(new GpusAllocated(meta(machine), "i-2", List.of(4, 5), RentalType.INTERRUPTIBLE));
        awaitChunks("interruptibles' GPUs still count for on-demand", List.of(2, 4));
        assertThat(as("client-1", "client").queryParam("q", "machine_id=" + machine).queryParam("type", "interruptible")
                .queryParam("order", "num_gpus")
                .get("/api/v1/offers").then().statusCode(200).extract().jsonPath()
                .getList("offers.preemptsInterruptible", Boolean.class)).containsExactly(false, true);
        publish(new GpusReleased(meta(machine), "i-1", List.of(0, 1, 2, 3)));
        awaitChunks("after the release", List.of(2, 4, 8));

        publish(new MachineWentOffline(meta(machine), "missed beats", List.of()));
        awaitChunks("offline", List.of());
        publish(new MachineCameOnline(meta(machine), "test"));
        awaitChunks("back online", List.of(2, 4, 8));
        publish(new MaintenanceModeChanged(meta(machine), true));
        awaitChunks("in maintenance", List.of());
        publish(new MaintenanceModeChanged(meta(machine), false));
        awaitChunks("out of maintenance", List.of(2, 4, 8));

        as(host, "host").delete("/api/v1/machines/" + machine + "/listing").then().statusCode(204);
        assertThat(chunks()).as("unlisted").isEmpty();
    }

    @Test
    void aLaterEndAtNoHigherPriceExtendsTheContractsAndARaiseDoesNot() {
        Instant end = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        register(machine, 2, true);
        publish(new MachineCameOnline(meta(machine), "test"));
        String path = "/api/v1/machines/" + machine + "/listing";
        as(host, "host").contentType("application/json").body(listing(1, "0.30", end)).put(path).then().statusCode(200);
        as(host, "host").contentType("application/json").body(listing(1, "0.30", end.plus(10, ChronoUnit.DAYS)))
                .put(path).then().statusCode(200).body("extension.extended", equalTo(true))
                .body("extension.endDate", equalTo(end.plus(10, ChronoUnit.DAYS).toString()));
        as(host, "host").contentType("application/json").body(listing(1, "0.35", end.plus(20, ChronoUnit.DAYS)))
                .put(path).then().statusCode(200).body("extension.extended", equalTo(false))
                .body("extension.detail", containsString("gpuPricePerHour"));
    }

    @Test
    void listingIsForTheOwnerAndForMachinesThatPassedTheirChecks() {
        Instant end = Instant.now().plus(30, ChronoUnit.DAYS);
        register(machine, 2, false);
        as(host, "host").contentType("application/json").body(listing(1, "0.30", end))
                .put("/api/v1/machines/" + machine + "/listing").then().statusCode(422)
                .contentType("application/problem+json").body("detail", containsString("ram"))
                .body("errors.field", hasItem("checks.ram"));
        as("someone-else", "host").contentType("application/json").body(listing(1, "0.30", end))
                .put("/api/v1/machines/" + machine + "/listing").then().statusCode(404);
        as(host, "client").contentType("application/json").body(listing(1, "0.30", end))
                .put("/api/v1/machines/" + machine + "/listing").then().statusCode(403);
        as(host, "host").contentType("application/json").body(listing(3, "0.30", end))
                .put("/api/v1/machines/" + machine + "/listing").then().statusCode(422);
    }

    @Test
    void badSearchesAreProblemsThatSayWhy() {
        as("c", "client").queryParam("q", "gpu_nam=RTX_4090").get("/api/v1/offers").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("unknown field 'gpu_nam'"))
                .body("detail", containsString("valid fields: gpu_name"));
        as("c", "client").queryParam("order", "-colour").get("/api/v1/offers").then().statusCode(400);
        as("c", "client").queryParam("type", "spot").get("/api/v1/offers").then().statusCode(400);
        as("c", "client").queryParam("type", "reserved").get("/api/v1/offers").then().statusCode(422)
                .body("errors.field", hasItem("reservedMonths"));
        as("c", "client").queryParam("limit", "501").get("/api/v1/offers").then().statusCode(400);
        as("c", "client").queryParam("cursor", "abc").get("/api/v1/offers").then().statusCode(400);
        given().get("/api/v1/offers").then().statusCode(401);
    }

    @Test
    void theInMemoryMarketRebuildsToTheSameDigest() {
        register(machine, 4, true);
        publish(new MachineCameOnline(meta(machine), "test"));
        String ops = "/api/v1/ops/offer-service/projections/offer-market";
        LogWriter.await("the machine is in the market", WAIT, () -> as("op", "operator")
                .queryParam("q", "machine_id=" + machine).get("/api/v1/offers").statusCode() == 200);
        as(host, "host").contentType("application/json").body(listing(1, "0.30", Instant.now().plus(9, ChronoUnit.DAYS)))
                .put("/api/v1/machines/" + machine + "/listing").then().statusCode(200);
        String live = as("op", "operator").get(ops + "/digest").then().statusCode(200).extract().path("digest");
        as("op", "operator").post(ops + "/rebuild").then().statusCode(202);
        LogWriter.await("the rebuilt market has caught up", WAIT, () -> Boolean.TRUE.equals(
                as("op", "operator").get(ops + "/digest").then().extract().path("caughtUp")));
        assertThat(as("op", "operator").get(ops + "/digest").then().extract().<String>path("digest")).isEqualTo(live);
    }
}
