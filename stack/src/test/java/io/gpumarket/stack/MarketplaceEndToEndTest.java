package io.gpumarket.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.events.Event;
import io.gpumarket.events.Topics;
import io.gpumarket.events.account.AccountEvent;
import io.gpumarket.events.rental.Contract;
import io.gpumarket.events.rental.RentalType;
import io.gpumarket.events.ledger.LedgerEvent;
import io.gpumarket.events.money.Money;
import io.gpumarket.events.usage.UsageEvent.ReservationEnded;
import io.gpumarket.events.usage.UsageEvent.UsageRecorded;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole marketplace through the gateway, on the run's {@link SharedStack} (a real Kafka broker
 * process, a real PostgreSQL, every service from its packaged jar, simulated host agents).
 */
@Order(2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedStack.class)
class MarketplaceEndToEndTest {
    static final String SSH_KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ada@laptop";
    static LocalStack stack;
    static Http http;
    static DemoHost host;

    @BeforeAll
    static void shared() {
        stack = SharedStack.stack;
        http = SharedStack.http;
        host = SharedStack.host;
    }

    @Test
    @Order(10)
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
    @Order(20)
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
    @Order(30)
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
        long expected = expectedCost(usage.get(usage.size() - 1));
        List<LedgerEvent.UsageCharged> charges = read(Topics.LEDGER.name()).stream()
                .filter(e -> e instanceof LedgerEvent.UsageCharged u && u.instanceId().equals(id))
                .map(LedgerEvent.UsageCharged.class::cast).toList();
        assertThat(new HashSet<>(charges.stream().map(LedgerEvent::entryId).toList())).hasSize(charges.size());
        long charged = -charges.stream().mapToLong(LedgerEvent::amountMicros).sum();
        assertThat(charged).as("price x online time, to the micro-dollar").isEqualTo(expected);
        assertThat(Money.parseMicros("30.00") - balance).isEqualTo(charged);
    }

    @Test
    @Order(81)
    void interruptiblesRunOnTheHighestBidAreOutbidAndPreemptedAndPayTheirBids() {
        Client kim = Client.open("kim", "40.00");
        Client leo = Client.open("leo", "40.00");
        Client max = Client.open("max", "20.00");
        awaitAllFree(kim);
        JsonNode offers = http.get("/api/v1/offers", kim.key).expect(200).body().get("offers");
        String four = find(offers, host.machineId(), 4).get("id").asText();
        String one = find(offers, host.machineId(), 1).get("id").asText();
        Http.Answer tooLow = kim.rent(four, Map.of("type", "interruptible", "bidPerHour", "0.05"));
        assertThat(tooLow.status()).isEqualTo(422);
        assertThat(tooLow.body().toString()).contains("bidPerHour").contains("0.100000");

        String k = kim.rent(four, Map.of("type", "interruptible", "bidPerHour", "0.20")).expect(202).text("id");
        eventually(Duration.ofSeconds(30), () -> kim.is(k, "online"));
        String l = leo.rent(four, Map.of("type", "interruptible", "bidPerHour", "0.30")).expect(202).text("id");
        eventually(Duration.ofSeconds(30), () -> leo.is(l, "online"));
        assertThat(kim.instance(k).text("status")).isEqualTo("outbid");
        advanceClocks(Duration.ofHours(1));

        http.put("/api/v1/instances/" + k + "/bid", kim.key, Map.of("bidPerHour", "0.40")).expect(202);
        eventually(Duration.ofSeconds(30), () -> kim.is(k, "online") && leo.is(l, "outbid"));
        assertThat(kim.instance(k).text("pricePerHour")).isEqualTo("1.600000");
        assertThat(http.put("/api/v1/instances/" + k + "/bid", kim.key, Map.of("bidPerHour", "0.01")).status())
                .isEqualTo(422);
        advanceClocks(Duration.ofHours(1));

        // an on-demand rental of one GPU preempts the interruptible that holds it
        String m = max.rent(one).expect(202).text("id");
        eventually(Duration.ofSeconds(30), () -> max.is(m, "online") && kim.is(k, "outbid"));
        assertThat(kim.instance(k).text("statusReason")).contains("preempted by an on-demand rental");
        assertThat(http.put("/api/v1/instances/" + m + "/bid", max.key, Map.of("bidPerHour", "0.50")).status())
                .as("an on-demand rental has no bid").isEqualTo(409);
        advanceClocks(Duration.ofHours(1));
        http.delete("/api/v1/instances/" + m, max.key).expect(202);
        eventually(Duration.ofSeconds(30), () -> kim.is(k, "online"));
        assertThat(leo.instance(l).text("status")).isEqualTo("outbid");
        advanceClocks(Duration.ofHours(1));
        http.delete("/api/v1/instances/" + k, kim.key).expect(202);
        http.delete("/api/v1/instances/" + l, leo.key).expect(202);
        eventually(Duration.ofSeconds(30), () -> kim.is(k, "terminated") && leo.is(l, "terminated"));
        eventually(Duration.ofSeconds(10), () -> chunkSizes(host.machineId(), kim).equals(List.of(1, 2, 4)));

        long kimCharged = Money.parseMicros("40.00") - settledBalance(kim);
        long leoCharged = Money.parseMicros("40.00") - settledBalance(leo);
        assertThat(lastUsage(k).meter()).as("one meter per bid").isEqualTo(1);
        assertThat(lastUsage(k).contract().gpuPricePerHourMicros()).isEqualTo(400_000);
        assertThat(lastUsage(k).onlineSecondsTotal()).as("two hours at the new bid").isBetween(2 * 3_600L,
                2 * 3_600L + 120);
        assertThat(kimCharged).as("each bid times its own online time, plus the disk").isEqualTo(
                expectedCostOfAllMeters(k));
        assertThat(lastUsage(l).onlineSecondsTotal()).as("an hour online, then outbid").isBetween(3_600L,
                3_600L + 60);
        assertThat(lastUsage(l).storageSecondsTotal()).as("its disk all along").isGreaterThanOrEqualTo(4 * 3_600L);
        assertThat(leoCharged).isEqualTo(expectedCostOfAllMeters(l));
        assertThat(Money.parseMicros(kim.instance(k).text("costSoFar"))).isEqualTo(kimCharged);
    }

    @Test
    @Order(82)
    void aReservedRentalIsPrepaidAtItsDiscountAndRefundedByTheRuleWhenEndedEarly() {
        Client rae = Client.open("rae", "600.00");
        awaitAllFree(rae);
        JsonNode offers = http.get("/api/v1/offers", rae.key).expect(200).body().get("offers");
        String two = find(offers, host.machineId(), 2).get("id").asText();
        Http.Answer tooLong = rae.rent(two, Map.of("type", "reserved", "reservedMonths", 3));
        assertThat(tooLong.status()).as("the listing ends before three months").isEqualTo(422);
        assertThat(rae.rent(two, Map.of("type", "reserved")).status()).isEqualTo(422);

        String r = rae.rent(two, Map.of("type", "reserved", "reservedMonths", 1)).expect(202).text("id");
        eventually(Duration.ofSeconds(30), () -> rae.is(r, "online"));
        JsonNode shown = rae.instance(r).body();
        // 2 GPUs at $0.45 less 20 % (half the host's 40 % for one month) = $0.72/h, 720 h prepaid
        assertThat(shown.get("type").asText()).isEqualTo("reserved");
        assertThat(shown.get("pricePerHour").asText()).isEqualTo("0.720000");
        assertThat(shown.get("reservation").get("discount").asText()).isEqualTo("0.2000");
        assertThat(shown.get("reservation").get("prepaid").asText()).isEqualTo("518.400000");
        eventually(Duration.ofSeconds(10), () -> sumLedger(rae.key, "reservation") == -518_400_000L);
        advanceClocks(Duration.ofHours(24));
        http.delete("/api/v1/instances/" + r, rae.key).expect(202);
        eventually(Duration.ofSeconds(30), () -> rae.is(r, "terminated"));

        var ended = read(Topics.USAGE.name()).stream().filter(e -> e instanceof ReservationEnded x
                && x.instanceId().equals(r)).map(ReservationEnded.class::cast).findFirst().orElseThrow();
        long used = Duration.between(ended.contract().reservation().from(), ended.endedAt()).toSeconds();
        assertThat(used).isBetween(24 * 3_600L, 24 * 3_600L + 120);
        // under a month: the time used is priced on demand, 2 x $0.45, and the rest comes back
        long refund = 518_400_000L - Math.floorDiv(900_000L * used, 3_600);
        eventually(Duration.ofSeconds(10), () -> sumLedger(rae.key, "refund") == refund);
        long charged = Money.parseMicros("600.00") - settledBalance(rae);
        assertThat(charged).as("prepaid less refund, plus the disk as used")
                .isEqualTo(518_400_000L - refund + expectedCost(lastUsage(r)));
        assertThat(Money.parseMicros(rae.instance(r).text("costSoFar"))).isEqualTo(charged);
    }

    @Test
    @Order(83)
    void theStatusStreamTheActivityLogRestartsAndNewKeysFollowAnInstanceThroughTheGateway() throws Exception {
        Client sam = Client.open("sam", "20.00");
        awaitAllFree(sam);
        JsonNode offers = http.get("/api/v1/offers", sam.key).expect(200).body().get("offers");
        String id = sam.rent(find(offers, host.machineId(), 1).get("id").asText()).expect(202).text("id");
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        var streamed = java.util.concurrent.CompletableFuture.runAsync(() -> {
            var request = java.net.http.HttpRequest.newBuilder(stack.gateway().resolve("/api/v1/instances/" + id
                    + "/status-stream")).header("Authorization", "Bearer " + sam.key).GET().build();
            try {
                java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofLines())
                        .body().filter(line -> line.startsWith("data:")).forEach(seen::add);
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        eventually(Duration.ofSeconds(30), () -> seen.stream().anyMatch(l -> l.contains("\"online\"")));
        assertThat(seen).as("events arrive as they happen, through the gateway").noneMatch(l -> l.contains("terminat"));
        JsonNode reach = sam.instance(id).body();
        assertThat(reach.get("ssh").get("host").asText()).as("where the agent published it").isNotBlank();
        assertThat(reach.get("ssh").get("port").asInt()).isPositive();
        assertThat(reach.get("jupyter").isNull()).as("an ssh instance has no Jupyter").isTrue();

        http.post("/api/v1/instances/" + id + "/restart", sam.key, null).expect(202);
        String second = http.post("/api/v1/account/ssh-keys", sam.key, Map.of("name", "desktop", "publicKey",
                SSH_KEY.replace("ada@laptop", "ada@desktop"))).expect(201).text("id");
        assertThat(http.put("/api/v1/instances/" + id + "/ssh-keys", sam.key, Map.of("sshKeyIds", List.of("nope")))
                .status()).isEqualTo(422);
        http.put("/api/v1/instances/" + id + "/ssh-keys", sam.key, Map.of("sshKeyIds", List.of(sam.sshKeyId(), second)))
                .expect(202);
        eventually(Duration.ofSeconds(30), () -> {
            List<String> work = activity(sam, id).stream().filter(e -> e.get("type").asText().equals("rental.work-issued.v1"))
                    .map(e -> e.get("action").asText()).toList();
            return work.containsAll(List.of("start", "restart", "update_keys"));
        });
        http.delete("/api/v1/instances/" + id, sam.key).expect(202);
        streamed.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(seen).as("one event per status, ending with the final one").hasSizeGreaterThanOrEqualTo(3);
        assertThat(seen.get(seen.size() - 1)).contains("\"terminated\"");
        assertThat(http.post("/api/v1/instances/" + id + "/restart", sam.key, null).status()).isEqualTo(409);

        List<JsonNode> log = activity(sam, id);
        // each entry's time is its writer's clock: rental-service's was moved forward by earlier tests
        assertThat(log.stream().filter(e -> e.get("type").asText().startsWith("rental.")).findFirst().orElseThrow()
                .get("type").asText()).isEqualTo("rental.requested.v1");
        assertThat(log).extracting(e -> e.get("type").asText()).contains("status.changed.v1",
                "machine.container-reported.v1", "rental.ssh-keys-changed.v1", "rental.gpus-released.v1");
        assertThat(log).extracting(e -> java.time.Instant.parse(e.get("at").asText())
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).isSorted();
        JsonNode firstPage = http.get("/api/v1/instances/" + id + "/events?limit=2", sam.key).expect(200).body();
        assertThat(firstPage.get("events")).hasSize(2);
        JsonNode secondPage = http.get("/api/v1/instances/" + id + "/events?limit=2&next="
                + firstPage.get("next").asText(), sam.key).expect(200).body();
        assertThat(secondPage.get("events").get(0)).isEqualTo(log.get(2));
        assertThat(http.get("/api/v1/instances/" + id + "/events", Client.open("other", "1.00").key).status())
                .isEqualTo(404);
    }

    /** Waits until the demo machine's four GPUs are all on offer again. */
    static void awaitAllFree(Client c) {
        List<List<Integer>> seen = new java.util.ArrayList<>();
        try {
            eventually(Duration.ofSeconds(60), () -> {
                seen.add(chunkSizes(host.machineId(), c));
                return seen.get(seen.size() - 1).equals(List.of(1, 2, 4));
            });
        } catch (AssertionError e) {
            throw new AssertionError("the demo machine's offers stayed " + seen.get(seen.size() - 1) + "; its instances: "
                    + read(Topics.STATUS.name()).stream().filter(ev -> ev.aggregateId().equals(host.machineId()))
                            .map(ev -> (io.gpumarket.events.status.StatusEvent.InstanceStatusChanged) ev)
                            .collect(java.util.stream.Collectors.toMap(s -> s.instanceId(), s -> s.status(), (x, y) -> y))
                    + "; GPU moves: " + read(Topics.RENTALS.name()).stream().filter(ev -> ev.aggregateId()
                            .equals(host.machineId()) && (ev instanceof io.gpumarket.events.rental.RentalEvent.GpusAllocated
                            || ev instanceof io.gpumarket.events.rental.RentalEvent.GpusReleased)).toList(), e);
        }
    }

    static List<JsonNode> activity(Client c, String instanceId) {
        JsonNode page = http.get("/api/v1/instances/" + instanceId + "/events?limit=500", c.key).expect(200).body();
        return StreamSupport.stream(page.get("events").spliterator(), false).toList();
    }

    @Test
    @Order(90)
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
        assertThat(reserved.get("pricePerHour").asText()).as("2 × (0.45 less 0.4 × 2/3: 26.66 %)")
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
    @Order(100)
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
    @Order(110)
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
    @Order(40)
    void stoppedInstancesPayForTheirDiskOnlyAndStartAgainOnTheirGpus() {
        Client eve = Client.open("eve", "50.00");
        JsonNode offers = http.get("/api/v1/offers", eve.key).expect(200).body().get("offers");
        String id = eve.rent(find(offers, host.machineId(), 2).get("id").asText()).expect(202).text("id");
        eventually(Duration.ofSeconds(30), () -> "online".equals(eve.instance(id).text("status")));
        assertThat(http.post("/api/v1/instances/" + id + "/start", eve.key, null).status()).as("not stopped")
                .isEqualTo(409);
        advanceClocks(Duration.ofHours(1));
        http.post("/api/v1/instances/" + id + "/stop", eve.key, null).expect(202);
        eventually(Duration.ofSeconds(30), () -> "stopped".equals(eve.instance(id).text("status")));
        assertThat(chunkSizes(host.machineId(), eve)).as("the GPUs are free while it is stopped").contains(4);
        advanceClocks(Duration.ofHours(2));
        // someone rents the whole machine meanwhile: the start waits in scheduling until it is free
        Client finn = Client.open("finn", "20.00");
        String whole = finn.rent(find(offers, host.machineId(), 4).get("id").asText()).expect(202).text("id");
        eventually(Duration.ofSeconds(30), () -> finn.is(whole, "online"));
        http.post("/api/v1/instances/" + id + "/start", eve.key, null).expect(202);
        eventually(Duration.ofSeconds(30), () -> eve.is(id, "scheduling"));
        http.delete("/api/v1/instances/" + whole, finn.key).expect(202);
        eventually(Duration.ofSeconds(30), () -> "online".equals(eve.instance(id).text("status")));
        advanceClocks(Duration.ofHours(1));
        http.delete("/api/v1/instances/" + id, eve.key).expect(202);
        eventually(Duration.ofSeconds(30), () -> "terminated".equals(eve.instance(id).text("status")));

        UsageRecorded last = lastUsage(id);
        assertThat(last.onlineSecondsTotal()).as("two hours online").isBetween(2 * 3_600L, 2 * 3_600L + 120);
        assertThat(last.storageSecondsTotal()).as("four hours kept").isBetween(4 * 3_600L, 4 * 3_600L + 180);
        long charged = Money.parseMicros("50.00") - settledBalance(eve);
        assertThat(charged).as("GPUs x online time + disk x kept time, to the micro-dollar")
                .isEqualTo(expectedCost(last));
        assertThat(Money.parseMicros(eve.instance(id).text("costSoFar"))).isEqualTo(charged);
    }

    @Test
    @Order(50)
    void anAccountThatRunsOutIsSuspendedStoppedChargedNothingAndADepositLiftsIt() {
        Client cara = Client.open("cara", "1.00");
        JsonNode offers = http.get("/api/v1/offers", cara.key).expect(200).body().get("offers");
        String id = cara.rent(find(offers, host.machineId(), 1).get("id").asText()).expect(202).text("id");
        eventually(Duration.ofSeconds(30), () -> "online".equals(cara.instance(id).text("status")));
        // three hours pass: $1.35 of GPU time on a $1.00 balance
        advanceClocks(Duration.ofHours(3));
        eventually(Duration.ofSeconds(30), () -> "suspended".equals(cara.account().text("status")));
        eventually(Duration.ofSeconds(30), () -> "stopped".equals(cara.instance(id).text("status")));
        assertThat(cara.instance(id).text("statusReason")).contains("suspended");
        assertThat(chunkSizes(host.machineId(), cara)).as("the GPU is free again").contains(4);
        long suspendedBalance = settledBalance(cara);
        assertThat(suspendedBalance).isNegative();
        // an hour passes while suspended: nothing is charged, not even the disk
        advanceClocks(Duration.ofHours(1));
        LocalStack.sleep(6_000);
        assertThat(cara.balanceMicros()).isEqualTo(suspendedBalance);

        http.post("/api/v1/account/deposits", cara.key, Map.of("amount", "5.00")).expect(201);
        eventually(Duration.ofSeconds(30), () -> "active".equals(cara.account().text("status")));
        // the disk is charged again from the reactivation; the instance stays stopped until started
        eventually(Duration.ofSeconds(30), () -> cara.balanceMicros() < suspendedBalance + Money.parseMicros("5.00"));
        assertThat(cara.instance(id).text("status")).isEqualTo("stopped");
        http.delete("/api/v1/instances/" + id, cara.key).expect(202);
        eventually(Duration.ofSeconds(30), () -> "terminated".equals(cara.instance(id).text("status")));

        UsageRecorded last = lastUsage(id);
        assertThat(last.onlineSecondsTotal()).isBetween(3 * 3_600L, 3 * 3_600L + 120);
        assertThat(last.storageSecondsTotal() - last.onlineSecondsTotal()).as("the suspended hour is not metered")
                .isLessThan(600);
        long charged = Money.parseMicros("6.00") - settledBalance(cara);
        assertThat(charged).as("price x online time + storage kept, to the micro-dollar")
                .isEqualTo(expectedCost(last));
        List<Event> standing = read(Topics.ACCOUNTS.name()).stream()
                .filter(e -> e.aggregateId().equals(cara.accountId())).toList();
        assertThat(standing).filteredOn(e -> e instanceof AccountEvent.AccountSuspended).hasSize(1);
        assertThat(standing).filteredOn(e -> e instanceof AccountEvent.AccountReactivated).hasSize(1);
    }

    @Test
    @Order(60)
    void aSuspensionPastItsGracePeriodTerminatesTheInstancesAndFreesTheDisk() {
        Client dan = Client.open("dan", "1.00");
        JsonNode offers = http.get("/api/v1/offers", dan.key).expect(200).body().get("offers");
        String id = dan.rent(find(offers, host.machineId(), 1).get("id").asText()).expect(202).text("id");
        eventually(Duration.ofSeconds(30), () -> "online".equals(dan.instance(id).text("status")));
        advanceClocks(Duration.ofHours(3));
        eventually(Duration.ofSeconds(30), () -> "stopped".equals(dan.instance(id).text("status")));
        advanceClocks(Duration.ofHours(71));
        LocalStack.sleep(6_000);
        assertThat(dan.instance(id).text("status")).as("71 h into the grace").isEqualTo("stopped");
        advanceClocks(Duration.ofHours(2));
        eventually(Duration.ofSeconds(30), () -> "terminated".equals(dan.instance(id).text("status")));
        assertThat(dan.instance(id).text("statusReason")).isEqualTo("container and disk removed");
        assertThat(read(Topics.ACCOUNTS.name())).filteredOn(e -> e instanceof AccountEvent.SuspensionGraceExpired
                && e.aggregateId().equals(dan.accountId())).hasSize(1);
    }

    @Test
    @Order(70)
    void billingKilledHardInAStreamOfUsageChargesExactlyWhatTheRawEventsSay() {
        List<Client> clients = List.of(Client.open("usage-a", "500.00"), Client.open("usage-b", "500.00"),
                Client.open("usage-c", "500.00"));
        List<String> hosts = List.of(openHost("usage-host-a"), openHost("usage-host-b"));
        long platformBefore = platformBalance();
        Map<String, String> hostAccounts = new java.util.HashMap<>();
        for (String hostKey : hosts) {
            hostAccounts.put(hostKey, http.get("/api/v1/account", hostKey).expect(200).text("id"));
        }
        // 300 instances, 60 intervals of 10 s each, every interval written once or twice, shuffled within its machine
        java.util.Random random = new java.util.Random(42);
        List<UsageRecorded> stream = new java.util.ArrayList<>();
        java.time.Instant t0 = java.time.Instant.now().minusSeconds(3_600);
        for (int i = 0; i < 300; i++) {
            Client client = clients.get(i % 3);
            String hostAccount = hostAccounts.get(hosts.get(i % 2));
            var contract = new Contract(RentalType.ONDEMAND, "RTX 4090", 1 + i % 4, 10 + i % 50,
                    100_000 + 7_919L * i, 50_000 + 13L * i, 1_000_000 + i, t0.plusSeconds(86_400));
            String machine = "usage-m-" + (i % 40);
            for (int k = 0; k < 60; k++) {
                boolean online = k % 10 < 7;
                var start = t0.plusSeconds(10L * k);
                var u = new UsageRecorded(io.gpumarket.events.EventMeta.of(java.util.UUID.randomUUID(), machine, 0,
                        start.plusSeconds(10)), "usage-i-" + i, client.accountId(), hostAccount, start,
                        start.plusSeconds(10), contract, online ? 10 : 0, 10, 1_000_000L * k, 10L * (k / 10 * 7
                        + Math.min(k % 10 + 1, 7)), 10L * (k + 1), 1_000_000L * k * (k + 1) / 2, 0);
                stream.add(u);
                if (random.nextInt(3) == 0) {
                    stream.add(u);
                }
            }
        }
        int half = stream.size() / 2;
        io.gpumarket.testsupport.LogWriter.publish(stack.kafkaBootstrapServers(),
                stream.subList(0, half).toArray(Event[]::new));
        LocalStack.sleep(500);
        stack.kill(LocalStack.Svc.BILLING);
        io.gpumarket.testsupport.LogWriter.publish(stack.kafkaBootstrapServers(),
                stream.subList(half, stream.size()).toArray(Event[]::new));
        stack.startService(LocalStack.Svc.BILLING);
        stack.awaitReady(LocalStack.Svc.BILLING);

        // independently: each instance costs its last totals priced once; the fee is 25 % of that, rounded down
        Map<String, Long> clientCost = new java.util.HashMap<>();
        Map<String, Long> hostEarning = new java.util.HashMap<>();
        long fees = 0;
        Map<String, UsageRecorded> lastOf = new java.util.HashMap<>();
        stream.forEach(u -> lastOf.merge(u.instanceId(), u, (a, b) -> a.onlineSecondsTotal() + a.storageSecondsTotal()
                >= b.onlineSecondsTotal() + b.storageSecondsTotal() ? a : b));
        for (UsageRecorded u : lastOf.values()) {
            long cost = expectedCost(u);
            long fee = Math.floorDiv(cost * 2_500, 10_000);
            clientCost.merge(u.accountId(), cost, Long::sum);
            hostEarning.merge(u.hostAccountId(), cost - fee, Long::sum);
            fees += fee;
        }
        for (Client c : clients) {
            long expected = Money.parseMicros("500.00") - clientCost.get(c.accountId());
            eventually(Duration.ofSeconds(60), () -> c.balanceMicros() == expected);
        }
        for (String hostKey : hosts) {
            long expected = hostEarning.get(hostAccounts.get(hostKey));
            eventually(Duration.ofSeconds(60), () -> Money.parseMicros(http.get("/api/v1/account", hostKey).expect(200)
                    .text("balance")) == expected);
        }
        assertThat(platformBalance() - platformBefore).isEqualTo(fees);
    }

    @Test
    @Order(80)
    void atTheContractsEndTheInstanceExpiresKeepsPayingForItsDiskAndIsDeletedTwoDaysLater() {
        // a second host whose listing ends two hours from now as rental-service's (moved) clock sees it
        DemoHost shortLease = DemoHost.create(stack, http, "short-lease", 1, "0.450000");
        Map<String, Object> terms = new java.util.HashMap<>(DemoHost.listing("0.450000"));
        terms.put("endDate", rentalClock().plus(Duration.ofHours(2)).toString());
        http.put("/api/v1/machines/" + shortLease.machineId() + "/listing", shortLease.hostKey(), terms).expect(200);
        Client ivy = Client.open("ivy", "50.00");
        eventually(Duration.ofSeconds(10), () -> {
            JsonNode listed = http.get("/api/v1/offers?q=machine_id%3D" + shortLease.machineId(), ivy.key).expect(200)
                    .body().get("offers");
            return listed.size() > 0 && java.time.Instant.parse(listed.get(0).get("endDate").asText())
                    .isBefore(rentalClock().plus(Duration.ofDays(1)));
        });
        JsonNode offers = http.get("/api/v1/offers?q=machine_id%3D" + shortLease.machineId(), ivy.key).expect(200)
                .body().get("offers");
        String id = ivy.rent(find(offers, shortLease.machineId(), 1).get("id").asText()).expect(202).text("id");
        eventually(Duration.ofSeconds(30), () -> "online".equals(ivy.instance(id).text("status")));
        http.post("/api/v1/instances/" + id + "/stop", ivy.key, null).expect(202);
        eventually(Duration.ofSeconds(30), () -> "stopped".equals(ivy.instance(id).text("status")));
        java.time.Instant end = java.time.Instant.parse(ivy.instance(id).text("endDate"));
        advanceClocks(Duration.between(rentalClock(), end).plusSeconds(5));
        eventually(Duration.ofSeconds(30), () -> "expired".equals(ivy.instance(id).text("status")));
        assertThat(http.post("/api/v1/instances/" + id + "/start", ivy.key, null).status()).isEqualTo(409);
        long expiredBalance = ivy.balanceMicros(); // the disk is still charged: the balance never settles
        advanceClocks(Duration.ofHours(24));
        eventually(Duration.ofSeconds(30), () -> ivy.balanceMicros() < expiredBalance);
        assertThat(lastUsage(id).onlineSeconds()).as("only the disk is charged once expired").isZero();
        advanceClocks(Duration.ofHours(25));
        eventually(Duration.ofSeconds(30), () -> "terminated".equals(ivy.instance(id).text("status")));
        UsageRecorded last = lastUsage(id);
        long charged = Money.parseMicros("50.00") - settledBalance(ivy);
        assertThat(charged).isEqualTo(expectedCost(last));
    }

    @Test
    @Order(120)
    void rebuildingFromOffsetZeroGivesExactlyTheLiveState() {
        // the moved clocks have passed a weekly cutoff: pay it now, so no payout lands between the digests
        http.post("/api/v1/ops/billing-service/payout-runs", stack.operatorKey(), null).expect(200);
        for (var projection : List.of(List.of("offer-service", "offer-market"), List.of("billing-service", "billing-ledger"),
                List.of("billing-service", "billing-accounts"), List.of("rental-service", "rental-instances"),
                List.of("rental-service", "rental-catalog"), List.of("rental-service", "rental-activity"))) {
            String base = "/api/v1/ops/" + projection.get(0) + "/projections/" + projection.get(1);
            String live = stableDigest(base);
            http.post(base + "/rebuild", stack.operatorKey(), null).expect(202);
            eventually(Duration.ofSeconds(60), () -> http.get(base + "/digest", stack.operatorKey()).expect(200)
                    .body().get("caughtUp").asBoolean());
            assertThat(http.get(base + "/digest", stack.operatorKey()).text("digest")).as(projection.toString())
                    .isEqualTo(live);
        }
    }

    /** Moves rental-service's and billing-service's clocks forward together. */
    /** A projection's digest once two readings two seconds apart agree (nothing is arriving). */
    static String stableDigest(String base) {
        String before = http.get(base + "/digest", stack.operatorKey()).expect(200).text("digest");
        while (true) {
            LocalStack.sleep(2_000);
            String now = http.get(base + "/digest", stack.operatorKey()).expect(200).text("digest");
            if (now.equals(before)) {
                return now;
            }
            before = now;
        }
    }

    static void advanceClocks(Duration by) {
        for (String service : List.of("rental-service", "billing-service")) {
            http.post("/api/v1/ops/" + service + "/clock?advanceSeconds=" + by.toSeconds(), stack.operatorKey(), null)
                    .expect(200);
        }
    }

    static java.time.Instant rentalClock() {
        return java.time.Instant.parse(http.get("/api/v1/ops/rental-service/clock", stack.operatorKey()).expect(200)
                .text("now"));
    }

    static UsageRecorded lastUsage(String instanceId) {
        List<UsageRecorded> usage = read(Topics.USAGE.name()).stream()
                .filter(e -> e instanceof UsageRecorded u && u.instanceId().equals(instanceId))
                .map(UsageRecorded.class::cast).toList();
        return usage.get(usage.size() - 1);
    }

    /**
     * What all an instance's usage cost: each meter (one per bid) priced once at its own price, from
     * its last interval's totals.
     */
    static long expectedCostOfAllMeters(String instanceId) {
        Map<Integer, UsageRecorded> lastOfMeter = new java.util.TreeMap<>();
        read(Topics.USAGE.name()).stream().filter(e -> e instanceof UsageRecorded u && u.instanceId().equals(instanceId))
                .map(UsageRecorded.class::cast).forEach(u -> lastOfMeter.put(u.meter(), u));
        return lastOfMeter.values().stream().mapToLong(MarketplaceEndToEndTest::expectedCost).sum();
    }

    /**
     * What an instance's usage totals cost, priced once, independently of billing-service's code (a
     * reserved instance's GPU time was prepaid).
     */
    static long expectedCost(UsageRecorded last) {
        var c = last.contract();
        long gpuPerHour = c.reservation() != null ? 0 : c.gpuPricePerHourMicros() * c.numGpus();
        return Math.floorDiv(gpuPerHour * last.onlineSecondsTotal(), 3_600)
                + Math.floorDiv(c.storagePricePerGbMonthMicros() * c.diskGb() * last.storageSecondsTotal(), 2_592_000)
                + new java.math.BigInteger(Long.toString(c.bandwidthPricePerTbMicros()))
                        .multiply(java.math.BigInteger.valueOf(last.trafficBytesTotal()))
                        .divide(java.math.BigInteger.TEN.pow(12)).longValueExact();
    }

    static String openHost(String name) {
        return http.post("/api/v1/accounts", null, Map.of("name", name, "email", name + "@example.com", "role", "host"))
                .expect(201).text("apiKey");
    }

    static long platformBalance() {
        return Money.parseMicros(http.get("/api/v1/ops/billing-service/platform", stack.operatorKey()).expect(200)
                .text("balance"));
    }

    /** A client account with credit and an SSH key. */
    record Client(String key, String sshKeyId, String accountId) {
        static Client open(String name, String deposit) {
            Http.Answer opened = http.post("/api/v1/accounts", null,
                    Map.of("name", name, "email", name + "@example.com", "role", "client")).expect(201);
            String key = opened.text("apiKey");
            http.post("/api/v1/account/deposits", key, Map.of("amount", deposit)).expect(201);
            String ssh = http.post("/api/v1/account/ssh-keys", key, Map.of("name", "laptop", "publicKey", SSH_KEY))
                    .expect(201).text("id");
            return new Client(key, ssh, opened.text("id"));
        }

        Http.Answer account() {
            return http.get("/api/v1/account", key).expect(200);
        }

        Http.Answer rent(String offerId) {
            return rent(offerId, Map.of("type", "ondemand"));
        }

        /** Rents with {@code terms}: the type and its bid or term. */
        Http.Answer rent(String offerId, Map<String, Object> terms) {
            Map<String, Object> body = new java.util.HashMap<>(Map.of("offerId", offerId, "image",
                    "pytorch/pytorch:latest", "diskGb", 40, "launchMode", "ssh", "sshKeyId", sshKeyId));
            body.putAll(terms);
            return http.post("/api/v1/instances", key, body);
        }

        boolean is(String instanceId, String status) {
            return status.equals(instance(instanceId).text("status"));
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
        return settledBalance(c::balanceMicros);
    }

    /** A balance once every usage interval has been charged (two equal readings 6 s apart). */
    static long settledBalance(java.util.function.LongSupplier balance) {
        long previous = balance.getAsLong();
        while (true) {
            LocalStack.sleep(6_000);
            long now = balance.getAsLong();
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
