package io.gpumarket.stack;

import static io.gpumarket.stack.MarketplaceEndToEndTest.eventually;
import static io.gpumarket.stack.MarketplaceEndToEndTest.find;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpumarket.events.Topics;
import io.gpumarket.events.rental.RentalEvent.RentalRequested;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OWASP API Top 10 checks through the gateway on the run's {@link SharedStack}: object-level
 * authorization on every endpoint that takes an id (a second account sees nothing and changes
 * nothing), mass assignment, a fuzz of every endpoint with bad input (never 5xx, always
 * problem+json, nothing changes), rate limits, and the OpenAPI document against the contract.
 */
@Order(3)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedStack.class)
class SecurityEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SSH_KEY = MarketplaceEndToEndTest.SSH_KEY;
    static Http http;
    static DemoHost host;
    static LocalStack stack;

    /** The owner of the objects the others try to reach: a client with an instance, keys, a machine's host. */
    static String ownerKey;
    static String ownerAccount;
    static String ownerSshKey;
    static String ownerApiKeyId;
    static String instanceId;

    @BeforeAll
    static void owner() {
        http = SharedStack.http;
        stack = SharedStack.stack;
        // a host of its own: the other classes' tests change the shared one's listing
        host = DemoHost.create(stack, http, "security", 2, "0.450000");
        var opened = http.post("/api/v1/accounts", null, Map.of("name", "owner", "email", "owner@example.com", "role",
                "client")).expect(201);
        ownerKey = opened.text("apiKey");
        ownerAccount = opened.text("id");
        http.post("/api/v1/account/deposits", ownerKey, Map.of("amount", "30.00")).expect(201);
        ownerSshKey = http.post("/api/v1/account/ssh-keys", ownerKey, Map.of("name", "laptop", "publicKey", SSH_KEY))
                .expect(201).text("id");
        ownerApiKeyId = http.post("/api/v1/account/api-keys", ownerKey, Map.of("name", "ci")).expect(201).text("id");
        JsonNode offers = http.get("/api/v1/offers?q=machine_id%3D" + host.machineId(), ownerKey).expect(200).body()
                .get("offers");
        instanceId = http.post("/api/v1/instances", ownerKey, Map.of("offerId", find(offers, host.machineId(), 1)
                .get("id").asText(), "image", "pytorch/pytorch:latest", "diskGb", 10, "launchMode", "ssh", "sshKeyId",
                ownerSshKey, "label", "owner-secret-label")).expect(202).text("id");
        eventually(Duration.ofSeconds(30), () -> "online".equals(http.get("/api/v1/instances/" + instanceId, ownerKey)
                .expect(200).text("status")));
    }

    @Test
    @Order(10)
    void anotherAccountReachesNoObjectOfTheFirstOnAnyEndpoint() {
        String intruder = openAccount("intruder", "client");
        http.post("/api/v1/account/deposits", intruder, Map.of("amount", "30.00")).expect(201);
        String intruderSsh = http.post("/api/v1/account/ssh-keys", intruder, Map.of("name", "k", "publicKey", SSH_KEY))
                .expect(201).text("id");
        String otherHost = openAccount("other-host", "host");
        String machine = host.machineId();
        Map<String, Object> before = ownerState();

        List<Probe> instanceProbes = List.of(new Probe("GET", "/api/v1/instances/" + instanceId, null),
                new Probe("DELETE", "/api/v1/instances/" + instanceId, null),
                new Probe("POST", "/api/v1/instances/" + instanceId + "/stop", null),
                new Probe("POST", "/api/v1/instances/" + instanceId + "/start", null),
                new Probe("POST", "/api/v1/instances/" + instanceId + "/restart", null),
                new Probe("PUT", "/api/v1/instances/" + instanceId + "/bid", Map.of("bidPerHour", "1.00")),
                new Probe("PUT", "/api/v1/instances/" + instanceId + "/ssh-keys", Map.of("sshKeyIds", List.of(intruderSsh))),
                new Probe("GET", "/api/v1/instances/" + instanceId + "/events", null),
                new Probe("GET", "/api/v1/instances/" + instanceId + "/status-stream", null),
                new Probe("DELETE", "/api/v1/account/ssh-keys/" + ownerSshKey, null),
                new Probe("DELETE", "/api/v1/account/api-keys/" + ownerApiKeyId, null));
        List<Probe> machineProbes = List.of(new Probe("GET", "/api/v1/machines/" + machine, null),
                new Probe("GET", "/api/v1/machines/" + machine + "/rentals", null),
                new Probe("PUT", "/api/v1/machines/" + machine + "/listing", DemoHost.listing("0.010000")),
                new Probe("DELETE", "/api/v1/machines/" + machine + "/listing", null),
                new Probe("POST", "/api/v1/machines/" + machine + "/maintenance", Map.of("start",
                        Instant.now().plus(Duration.ofDays(2)).toString(), "durationHours", 2, "reason", "x")),
                new Probe("PUT", "/api/v1/machines/" + machine + "/maintenance-mode", Map.of("enabled", true)));
        List<Probe> operatorProbes = List.of(new Probe("GET", "/api/v1/ops/rental-service/projections", null),
                new Probe("POST", "/api/v1/ops/billing-service/payout-runs", null),
                new Probe("GET", "/api/v1/ops/billing-service/platform", null));

        for (Probe p : instanceProbes) {
            expectNoLeak(p, intruder, Set.of(404));
            expectNoLeak(p, otherHost, Set.of(403, 404));
        }
        for (Probe p : machineProbes) {
            expectNoLeak(p, otherHost, Set.of(404)); // another host's machine does not exist for it
            expectNoLeak(p, intruder, Set.of(403)); // a client on a host endpoint
        }
        for (Probe p : operatorProbes) {
            expectNoLeak(p, intruder, Set.of(403));
            expectNoLeak(p, otherHost, Set.of(403));
        }
        // lists show only one's own
        assertThat(http.get("/api/v1/instances", intruder).expect(200).body().toString()).doesNotContain(instanceId);
        assertThat(http.get("/api/v1/account/ssh-keys", intruder).expect(200).body().toString()).doesNotContain(ownerSshKey);
        assertThat(http.get("/api/v1/account/api-keys", intruder).expect(200).body().toString()).doesNotContain(ownerApiKeyId);
        assertThat(http.get("/api/v1/machines", otherHost).expect(200).body().toString()).doesNotContain(machine);
        assertThat(http.get("/api/v1/account/ledger", intruder).expect(200).body().toString()).doesNotContain(instanceId);

        // the machine's own host sees the rental on it, but not who rented it
        JsonNode onMachine = http.get("/api/v1/machines/" + machine + "/rentals", host.hostKey()).expect(200).body();
        assertThat(onMachine.toString()).contains(instanceId).doesNotContain(ownerAccount)
                .doesNotContain("owner-secret-label").doesNotContain("pytorch");

        assertThat(ownerState()).isEqualTo(before);
    }

    @Test
    @Order(20)
    void noClientSetsAFieldItDoesNotOwn() {
        JsonNode offers = http.get("/api/v1/offers?q=machine_id%3D" + host.machineId(), ownerKey).expect(200).body()
                .get("offers");
        Map<String, Object> rent = new LinkedHashMap<>(Map.of("offerId", find(offers, host.machineId(), 1).get("id")
                .asText(), "image", "busybox", "diskGb", 10, "launchMode", "args"));
        Map<String, Object> before = ownerState();
        for (String field : List.of("status", "accountId", "pricePerHour", "costSoFar", "machineId", "id")) {
            Map<String, Object> body = new LinkedHashMap<>(rent);
            body.put(field, "x");
            expectUnknownField(http.post("/api/v1/instances", ownerKey, body), field);
        }
        expectUnknownField(http.post("/api/v1/account/deposits", ownerKey, Map.of("amount", "1.00", "balance",
                "1000000")), "balance");
        expectUnknownField(http.post("/api/v1/accounts", null, Map.of("name", "m", "email", "m@example.com", "role",
                "client", "status", "active")), "status");
        Map<String, Object> listing = new LinkedHashMap<>(DemoHost.listing("0.450000"));
        listing.put("hostAccountId", ownerAccount);
        expectUnknownField(http.put("/api/v1/machines/" + host.machineId() + "/listing", host.hostKey(), listing),
                "hostAccountId");
        var operator = http.post("/api/v1/accounts", null, Map.of("name", "m", "email", "m@example.com", "role",
                "operator"));
        assertThat(operator.status()).isEqualTo(400);
        assertThat(operator.body().toString()).contains("role");
        assertThat(ownerState()).isEqualTo(before);
    }

    @Test
    @Order(30)
    void malformedInputToEveryEndpointIsA4xxProblemAndChangesNothing() {
        String hostKey = host.hostKey();
        String machine = host.machineId();
        List<String> keys = new ArrayList<>();
        keys.add(ownerKey);
        for (int i = 0; i < 4; i++) {
            keys.add(http.post("/api/v1/account/api-keys", ownerKey, Map.of("name", "fuzz " + i)).expect(201)
                    .text("apiKey"));
        }
        JsonNode offers = http.get("/api/v1/offers?q=machine_id%3D" + machine, ownerKey).expect(200).body().get("offers");
        String offerId = find(offers, machine, 1).get("id").asText();
        Map<String, Object> before = ownerState();
        Map<String, Object> hostBefore = hostState();
        long rentsBefore = rentsOn(machine);

        record Target(String method, String path, String key, Map<String, Object> valid) {}
        List<Target> bodies = List.of(
                new Target("POST", "/api/v1/accounts", null, Map.of("name", "f", "email", "f@example.com", "role", "client")),
                new Target("POST", "/api/v1/account/deposits", ownerKey, Map.of("amount", "1.00")),
                new Target("POST", "/api/v1/account/ssh-keys", ownerKey, Map.of("name", "k", "publicKey", SSH_KEY)),
                new Target("POST", "/api/v1/account/api-keys", ownerKey, Map.of("name", "k", "readOnly", true)),
                new Target("POST", "/api/v1/machines", hostKey, DemoHost.machineSpec("fuzz", 2)),
                new Target("PUT", "/api/v1/machines/" + machine + "/listing", hostKey, DemoHost.listing("0.450000")),
                new Target("POST", "/api/v1/machines/" + machine + "/maintenance", hostKey, Map.of("start",
                        Instant.now().plus(Duration.ofDays(3)).toString(), "durationHours", 2, "reason", "fans")),
                new Target("PUT", "/api/v1/machines/" + machine + "/maintenance-mode", hostKey, Map.of("enabled", true)),
                new Target("POST", "/api/v1/instances", ownerKey, Map.of("offerId", offerId, "image", "busybox",
                        "diskGb", 10, "launchMode", "args", "type", "interruptible", "bidPerHour", "0.500000",
                        "args", List.of("sleep"), "env", Map.of("A", "b"))),
                new Target("PUT", "/api/v1/instances/" + instanceId + "/bid", ownerKey, Map.of("bidPerHour", "0.500000")),
                new Target("PUT", "/api/v1/instances/" + instanceId + "/ssh-keys", ownerKey,
                        Map.of("sshKeyIds", List.of(ownerSshKey))));
        int sent = 0;
        for (Target t : bodies) {
            List<String> malformed = new ArrayList<>(List.of("{", "{\"a\":", "[]", "\"text\"", "12", "null", "",
                    "{\"" + "k".repeat(70_000) + "\":1}", "[" + "1,".repeat(100_000) + "1]"));
            ObjectNode valid = JSON.valueToTree(t.valid());
            ObjectNode unknown = valid.deepCopy();
            unknown.put("surprise", 1);
            malformed.add(unknown.toString());
            for (String field : new TreeSet<>(t.valid().keySet())) {
                for (JsonNode bad : wrongValues(valid.get(field))) {
                    ObjectNode mutated = valid.deepCopy();
                    mutated.set(field, bad);
                    malformed.add(mutated.toString());
                }
            }
            for (String body : malformed) {
                String key = t.key() == null ? null : t.key().equals(ownerKey) ? keys.get(sent % keys.size()) : t.key();
                expectProblem4xx(t.method(), t.path(), key, body);
                sent++;
            }
        }
        // ids and queries: long, odd and negative values where ids and numbers are expected
        List<String> paths = List.of("/api/v1/instances/" + "9".repeat(1500), "/api/v1/instances/%00",
                "/api/v1/instances/..%2F..%2Faccount", "/api/v1/instances?status=" + "z".repeat(1000),
                "/api/v1/offers?limit=-1", "/api/v1/offers?limit=100000", "/api/v1/offers?limit=abc",
                "/api/v1/offers?q=" + "%28".repeat(500),
                "/api/v1/offers?q=num_gpus%3E%3Dabc", "/api/v1/offers?order=nonsense", "/api/v1/offers?diskGb=-5", "/api/v1/account/ledger?limit=501",
                "/api/v1/account/ledger?next=" + "A".repeat(800), "/api/v1/instances/" + instanceId + "/events?limit=0",
                "/api/v1/instances/" + instanceId + "/events?next=%FF%FE", "/api/v1/machines/%20");
        for (String path : paths) {
            expectProblem4xx("GET", path, path.contains("/machines/") ? hostKey : ownerKey, null);
            sent++;
        }
        expectProblem4xx("PATCH", "/api/v1/instances/" + instanceId, ownerKey, "{}");
        expectProblem4xx("PUT", "/api/v1/offers", ownerKey, "{}");
        expectProblem4xx("POST", "/api/v1/instances", ownerKey, null);
        assertThat(sent).isGreaterThan(200);

        assertThat(ownerState()).isEqualTo(before);
        assertThat(hostState()).isEqualTo(hostBefore);
        assertThat(rentsOn(machine)).isEqualTo(rentsBefore);
    }

    @Test
    @Order(40)
    void aFloodOfSearchesGets429WithRetryAfterWhileAnotherKeyIsServed() {
        String flooder = openAccount("flooder", "client");
        String bystander = openAccount("bystander", "client");
        Http.Answer limited = null;
        for (int i = 0; i < 1_000 && limited == null; i++) {
            Http.Answer a = http.get("/api/v1/offers?limit=1", flooder);
            if (a.status() == 429) {
                limited = a;
            } else {
                assertThat(a.status()).isEqualTo(200);
            }
        }
        assertThat(limited).as("the search budget ran out").isNotNull();
        assertThat(limited.headers().get("content-type")).containsExactly("application/problem+json");
        long retryAfter = Long.parseLong(limited.headers().get("retry-after").get(0));
        assertThat(retryAfter).isBetween(1L, 5L);
        http.get("/api/v1/offers?limit=1", bystander).expect(200);
        http.get("/api/v1/account", flooder).expect(200); // another budget of the same key
        LocalStack.sleep(retryAfter * 1000 + 100);
        http.get("/api/v1/offers?limit=1", flooder).expect(200);
    }

    @Test
    @Order(50)
    void theOpenApiDocumentListsEveryEndpointOfTheContract() {
        JsonNode doc = http.get("/api/v1/openapi.json", null).expect(200).body();
        Set<String> operations = new TreeSet<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m ->
                operations.add(m.toUpperCase(java.util.Locale.ROOT) + " " + p.getKey().replaceAll("\\{[^}]+}", "{}"))));
        // every endpoint of API.md, with its path parameters written {}
        List<String> contract = List.of("POST /api/v1/accounts", "GET /api/v1/account", "POST /api/v1/account/deposits",
                "GET /api/v1/account/ledger", "GET /api/v1/account/ssh-keys", "POST /api/v1/account/ssh-keys",
                "DELETE /api/v1/account/ssh-keys/{}", "GET /api/v1/account/api-keys", "POST /api/v1/account/api-keys",
                "DELETE /api/v1/account/api-keys/{}", "POST /api/v1/machines", "GET /api/v1/machines",
                "GET /api/v1/machines/{}", "PUT /api/v1/machines/{}/listing", "DELETE /api/v1/machines/{}/listing",
                "POST /api/v1/machines/{}/maintenance", "PUT /api/v1/machines/{}/maintenance-mode",
                "GET /api/v1/machines/{}/rentals", "GET /api/v1/offers", "POST /api/v1/instances",
                "GET /api/v1/instances", "GET /api/v1/instances/{}", "POST /api/v1/instances/{}/stop",
                "POST /api/v1/instances/{}/start", "POST /api/v1/instances/{}/restart", "DELETE /api/v1/instances/{}",
                "PUT /api/v1/instances/{}/bid", "PUT /api/v1/instances/{}/ssh-keys", "GET /api/v1/instances/{}/events",
                "GET /api/v1/instances/{}/status-stream", "GET /api/v1/ops/{}/projections");
        assertThat(operations).containsAll(contract);
        assertThat(doc.at("/components/securitySchemes/apiKey/scheme").asText()).isEqualTo("bearer");
        assertThat(http.get("/q/swagger-ui/", null).status()).isEqualTo(200);
    }

    @Test
    @Order(60)
    void aNewKeyWorksAtOnceAReadOnlyKeyOnlyReadsAndARevokedKeyIsRefusedAtOnce() {
        var issued = http.post("/api/v1/account/api-keys", ownerKey, Map.of("name", "laptop")).expect(201);
        http.get("/api/v1/account", issued.text("apiKey")).expect(200);
        String readOnly = http.post("/api/v1/account/api-keys", ownerKey, Map.of("name", "dashboard", "readOnly", true))
                .expect(201).text("apiKey");
        http.get("/api/v1/instances/" + instanceId, readOnly).expect(200);
        assertThat(http.post("/api/v1/account/deposits", readOnly, Map.of("amount", "1.00")).status()).isEqualTo(403);
        assertThat(http.delete("/api/v1/instances/" + instanceId, readOnly).status()).isEqualTo(403);

        http.delete("/api/v1/account/api-keys/" + issued.text("id"), ownerKey).expect(204);
        assertThat(http.get("/api/v1/account", issued.text("apiKey")).status()).isEqualTo(401);
        http.get("/api/v1/account", ownerKey).expect(200);
    }

    @Test
    @Order(70)
    void anAgentThatFloodsItsChannelIsDisconnected() throws Exception {
        var registered = http.post("/api/v1/machines", host.hostKey(), DemoHost.machineSpec("flood", 2)).expect(201);
        String machine = registered.text("id");
        double openBefore = AgentChannelsEndToEndTest.openChannels(stack.gateway());
        var closed = new java.util.concurrent.CompletableFuture<Integer>();
        var socket = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + registered.text("agentToken"))
                .buildAsync(java.net.URI.create("ws://" + stack.gateway().getAuthority() + "/api/v1/agent"),
                        new java.net.http.WebSocket.Listener() {
                            @Override
                            public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws, int code,
                                    String reason) {
                                closed.complete(code);
                                return null;
                            }

                            @Override
                            public void onError(java.net.http.WebSocket ws, Throwable error) {
                                closed.completeExceptionally(error);
                            }
                        }).get(10, java.util.concurrent.TimeUnit.SECONDS);
        var json = io.gpumarket.events.serde.EventJson.mapper();
        socket.sendText(json.writeValueAsString(new io.gpumarket.events.agent.AgentMessage.Hello(machine, "boot-1",
                "flood")), true).join();
        var beat = json.writeValueAsString(new io.gpumarket.events.agent.AgentMessage.Heartbeat(1, Instant.now(),
                List.of(), "550.54.15", "12.4", 100L, List.of(), List.of()));
        for (int i = 0; i < 1_000 && !closed.isDone(); i++) {
            try {
                socket.sendText(beat, true).join();
            } catch (java.util.concurrent.CompletionException e) {
                break; // the gateway closed the channel under our feet
            }
        }
        assertThat(closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("close code").isEqualTo(1008);
        // the gateway frees the channel's slot once node-service's side has closed too
        eventually(Duration.ofSeconds(10), () -> AgentChannelsEndToEndTest.openChannels(stack.gateway()) <= openBefore);
    }

    /** Values of the wrong type or out of any sane range for a field whose valid value is {@code valid}. */
    private static List<JsonNode> wrongValues(JsonNode valid) {
        List<JsonNode> bad = new ArrayList<>(List.of(JSON.createObjectNode().put("nested", 1), JSON.createArrayNode()
                .add(JSON.createObjectNode())));
        if (valid.isNumber()) {
            bad.add(JSON.getNodeFactory().textNode("abc"));
            bad.add(JSON.getNodeFactory().numberNode(new BigDecimal("1E+400")));
            bad.add(JSON.getNodeFactory().numberNode(new java.math.BigInteger("99999999999999999999")));
            bad.add(JSON.getNodeFactory().numberNode(-99_999_999_999L));
        } else if (valid.isTextual()) {
            bad.add(JSON.getNodeFactory().textNode("x".repeat(70_000)));
        } else if (valid.isBoolean()) {
            bad.add(JSON.getNodeFactory().textNode("maybe"));
        }
        return bad;
    }

    /** Sends a bad request (waiting out the rate limit if it is hit) and checks the answer. */
    private static void expectProblem4xx(String method, String path, String key, String body) {
        Http.Answer a;
        while (true) {
            a = http.send(method, path, key, body, Map.of());
            if (a.status() != 429) {
                break;
            }
            LocalStack.sleep(Long.parseLong(a.headers().get("retry-after").get(0)) * 1000);
        }
        String what = method + " " + path.substring(0, Math.min(path.length(), 120)) + " with "
                + (body == null ? "no body" : body.substring(0, Math.min(body.length(), 200)));
        assertThat(a.status()).as(what + ": " + a.body()).isBetween(400, 499);
        assertThat(a.headers().get("content-type")).as(what).containsExactly("application/problem+json");
        assertThat(a.body().get("status").asInt()).as(what).isEqualTo(a.status());
    }

    private record Probe(String method, String path, Object body) {}

    private static void expectNoLeak(Probe p, String key, Set<Integer> allowed) {
        Http.Answer a = http.send(p.method(), p.path(), key, p.body(), Map.of());
        String what = p.method() + " " + p.path();
        assertThat(a.status()).as(what + ": " + a.body()).isIn(allowed);
        assertThat(a.headers().get("content-type")).as(what).containsExactly("application/problem+json");
        assertThat(a.body().toString()).as(what).doesNotContain(ownerAccount).doesNotContain("owner-secret-label")
                .doesNotContain("pytorch");
    }

    private static void expectUnknownField(Http.Answer a, String field) {
        assertThat(a.status()).as(field + ": " + a.body()).isEqualTo(400);
        assertThat(a.body().get("detail").asText()).contains(field);
    }

    /** What the owner can see of its own objects, without the figures a running instance moves. */
    private static Map<String, Object> ownerState() {
        Map<String, Object> s = new LinkedHashMap<>();
        JsonNode instance = http.get("/api/v1/instances/" + instanceId, ownerKey).expect(200).body();
        s.put("instance", List.of(instance.get("status").asText(), instance.get("label").asText(),
                instance.get("pricePerHour").asText(), String.valueOf(instance.get("ssh"))));
        s.put("instances", http.get("/api/v1/instances", ownerKey).expect(200).body().get("instances").size());
        s.put("sshKeys", http.get("/api/v1/account/ssh-keys", ownerKey).expect(200).body());
        s.put("apiKeys", http.get("/api/v1/account/api-keys", ownerKey).expect(200).body());
        JsonNode ledger = http.get("/api/v1/account/ledger?limit=500", ownerKey).expect(200).body().get("entries");
        s.put("deposits", java.util.stream.StreamSupport.stream(ledger.spliterator(), false)
                .filter(e -> e.get("kind").asText().equals("deposit")).map(e -> e.get("amount").asText()).toList());
        s.put("instanceRequests", requestsNaming(instanceId));
        return s;
    }

    private static Map<String, Object> hostState() {
        Map<String, Object> s = new LinkedHashMap<>();
        JsonNode m = http.get("/api/v1/machines/" + host.machineId(), host.hostKey()).expect(200).body();
        s.put("listing", m.get("listing"));
        s.put("maintenance", m.get("maintenance"));
        s.put("machines", http.get("/api/v1/machines", host.hostKey()).expect(200).body().size());
        return s;
    }

    /** The requests and decisions on the rentals topic that name the instance. */
    private static long requestsNaming(String instance) {
        return io.gpumarket.testsupport.LogWriter.readAll(stack.kafkaBootstrapServers(), Topics.RENTALS.name())
                .stream().filter(e -> e.toString().contains(instance)).count();
    }

    private static long rentsOn(String machine) {
        return io.gpumarket.testsupport.LogWriter.readAll(stack.kafkaBootstrapServers(), Topics.RENTALS.name()).stream()
                .filter(e -> e instanceof RentalRequested r && r.machineId().equals(machine)).count();
    }

    private static String openAccount(String name, String role) {
        return http.post("/api/v1/accounts", null, Map.of("name", name, "email", name + "@example.com", "role", role))
                .expect(201).text("apiKey");
    }
}
