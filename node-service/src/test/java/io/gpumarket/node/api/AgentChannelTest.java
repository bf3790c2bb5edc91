package io.gpumarket.node.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.agent.HostAgent;
import io.gpumarket.agent.runtime.SimulatedRuntime;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.Topics;
import io.gpumarket.events.agent.AgentFrameListener;
import io.gpumarket.events.heartbeat.HeartbeatEvent.GpuReading;
import io.gpumarket.events.heartbeat.HeartbeatEvent.HeartbeatReceived;
import io.gpumarket.events.machine.ContainerState;
import io.gpumarket.events.machine.MachineEvent.ContainerReported;
import io.gpumarket.events.machine.MachineEvent.MachineWentOffline;
import io.gpumarket.events.rental.ContainerSpec;
import io.gpumarket.events.rental.RentalEvent.WorkIssued;
import io.gpumarket.events.rental.WorkAction;
import io.gpumarket.kit.api.Caller;
import io.gpumarket.node.agent.AgentSessions;
import io.gpumarket.testsupport.GpumarketTestResource;
import io.gpumarket.testsupport.LogWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The real host agent (and a raw WebSocket where the agent would never misbehave) on
 * node-service's agent channel, against a real broker and PostgreSQL: coming online and going
 * offline, work, reconnects that lose and duplicate nothing, refused frames, benchmarks,
 * verification, GPU faults and maintenance windows.
 */
@QuarkusTest
@QuarkusTestResource(value = GpumarketTestResource.class, initArgs = @ResourceArg(name = "db", value = "node_test"))
class AgentChannelTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    AgentSessions sessions;

    record Machine(String id, String token, String host, JsonPath registration) {}

    private static Machine register(String model, int gpus) {
        String host = UUID.randomUUID().toString();
        Map<String, Object> spec = new HashMap<>(Map.of("name", "rig", "gpuModel", model, "gpuCount", gpus,
                "gpuRamGb", 24, "cpuCores", 16, "ramGb", 128, "diskGb", 1000, "region", "EU", "inetUpMbps", 100,
                "inetDownMbps", 100));
        var registered = given().contentType(ContentType.JSON).header(Caller.ACCOUNT_HEADER, host)
                .header(Caller.ROLE_HEADER, "host").body(spec).post("/api/v1/machines").then().statusCode(201)
                .extract().jsonPath();
        return new Machine(registered.getString("id"), registered.getString("agentToken"), host, registered);
    }

    private static JsonPath machine(Machine m) {
        return given().header(Caller.ACCOUNT_HEADER, m.host()).header(Caller.ROLE_HEADER, "host")
                .get("/api/v1/machines/" + m.id()).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitMachine(Machine m, String what, Predicate<JsonPath> condition) {
        JsonPath[] last = {null};
        LogWriter.await(what, Duration.ofSeconds(30), () -> condition.test(last[0] = machine(m)));
        return last[0];
    }

    private HostAgent agent(Machine m, int gpus, String model, String benchmark) {
        return new HostAgent(base, m.id(), m.token(), new SimulatedRuntime(Duration.ZERO, "localhost"),
                new HostAgent.Simulation(gpus, model, benchmark)).start();
    }

    @Test
    void theAgentComesOnlineCarriesOutWorkAndAWrongTokenIsRefused() {
        Machine m = register("RTX 4090", 2);
        assertThat(m.registration().getList("checks.detail", String.class)).as("a check whose field was not declared")
                .anySatisfy(d -> assertThat(d).contains("not declared"));
        assertThat(m.registration().getString("machine.dlperf")).as("the GPU table's estimate, 2 x 37")
                .isEqualTo("74.00");

        try (HostAgent wrong = new HostAgent(base, m.id(), "gpa_wrong", new SimulatedRuntime(Duration.ZERO, "localhost"), 2)) {
            wrong.start();
            assertThat(wrong.awaitEnd()).contains("wrong agent token");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }

        try (HostAgent agent = agent(m, 2, "RTX 4090", null)) {
            awaitMachine(m, "online", j -> j.getBoolean("online"));
            String workId = UUID.randomUUID().toString();
            issue(m, workId, "i-1");
            ContainerReported report = awaitReports(m.id(), workId, 1).get(0);
            assertThat(report.state()).isEqualTo(ContainerState.RUNNING);
            JsonPath seen = awaitMachine(m, "a heartbeat with the container", j -> j.get("lastHeartbeat") != null
                    && j.getList("lastHeartbeat.runningInstanceIds").contains("i-1"));
            assertThat(seen.getList("lastHeartbeat.gpus")).hasSize(2);
            assertThat(seen.getString("lastHeartbeat.traffic[0].instanceId")).isEqualTo("i-1");
        }
        // no heartbeats once the agent is gone: after the missed beats the machine goes offline,
        // naming the instance that was running: a disconnect during a rental
        awaitMachine(m, "offline", j -> !j.getBoolean("online"));
        MachineWentOffline offline = LogWriter.readAll(bootstrap(), Topics.MACHINES.name()).stream()
                .filter(e -> e instanceof MachineWentOffline && e.aggregateId().equals(m.id()))
                .map(MachineWentOffline.class::cast).reduce((a, b) -> b).orElseThrow();
        assertThat(offline.runningInstanceIds()).containsExactly("i-1");
        JsonPath scored = awaitMachine(m, "the disconnect scored", j -> j.getInt("reliabilityDetail.rentalDisconnects") == 1);
        assertThat(scored.getString("reliability")).isNotEqualTo("0.900000");
    }

    /**
     * With two replicas an agent may beat at the other one: its heartbeats reach the log, not this
     * replica, which heard the machine before. It must not say the machine went offline while any
     * replica hears it, and must once none does.
     */
    @Test
    void aMachineWhoseAgentBeatsAtAnotherReplicaStaysOnline() throws Exception {
        Machine m = register("RTX 4090", 1);
        try (HostAgent agent = agent(m, 1, "RTX 4090", null)) {
            awaitMachine(m, "online", j -> j.getBoolean("online"));
        }
        String boot = UUID.randomUUID().toString();
        Instant until = Instant.now().plusSeconds(25); // longer than the 15 s grace (3 beats of 5 s)
        for (long seq = 1; Instant.now().isBefore(until); seq++) {
            Instant now = Instant.now();
            LogWriter.publish(bootstrap(), new HeartbeatReceived(EventMeta.of(UUID.randomUUID(), m.id(), 0, now), boot,
                    seq, now, List.of(new GpuReading(0, 10, 1000, 50, null)), "550.54.15", "12.4", 500L, List.of(),
                    List.of()));
            Thread.sleep(2_000);
        }
        assertThat(machine(m).getBoolean("online")).as("heard at another replica all along").isTrue();
        assertThat(LogWriter.readAll(bootstrap(), Topics.MACHINES.name()))
                .noneMatch(e -> e instanceof MachineWentOffline && e.aggregateId().equals(m.id()));

        awaitMachine(m, "offline once no replica hears it", j -> !j.getBoolean("online"));
    }

    @Test
    void anAgentThatDisconnectsAndReconnectsLosesNoReportAndDuplicatesNone() throws Exception {
        Machine m = register("RTX 4090", 1);
        String workId = UUID.randomUUID().toString();
        try (HostAgent agent = agent(m, 1, "RTX 4090", null)) {
            awaitMachine(m, "online", j -> j.getBoolean("online"));
            for (int cut = 0; cut < 4; cut++) {
                Thread.sleep(1_500);
                sessions.disconnect(m.id());
                if (cut == 1) {
                    issue(m, workId, "i-9"); // issued while the agent is cut off
                }
            }
            LogWriter.await("a reconnected agent with nothing unacknowledged", Duration.ofSeconds(20),
                    () -> agent.connected() && agent.unacknowledgedHeartbeats() == 0);
            assertThat(awaitReports(m.id(), workId, 1)).hasSize(1);
        }
        List<Long> seqs = LogWriter.readAll(bootstrap(), Topics.HEARTBEATS.name()).stream()
                .filter(e -> e.aggregateId().equals(m.id())).map(e -> ((HeartbeatReceived) e).agentSeq()).toList();
        assertThat(seqs).as("every heartbeat once").doesNotHaveDuplicates().isNotEmpty();
        long max = seqs.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(seqs).as("and none lost: 1.." + max).hasSize((int) max);
        JsonPath counted = awaitMachine(m, "all heartbeats projected", j -> j.getLong("lastHeartbeat.beats") == max);
        assertThat(counted.getLong("lastHeartbeat.seq")).isEqualTo(max);
        assertThat(awaitReports(m.id(), workId, 1)).as("the report once, after every reconnect").hasSize(1);
    }

    @Test
    void badFramesAreRejectedWithTheirReasonAndNeverReachTheLog() throws Exception {
        Machine m = register("RTX 4090", 1);
        Machine other = register("RTX 4090", 1);
        try (RawAgent raw = new RawAgent(base, m.token())) {
            raw.send("{\"type\":\"hello\",\"machineId\":\"" + other.id() + "\",\"bootId\":\"b\"}");
            assertThat(raw.next()).contains("refused").contains("unknown machine or wrong agent token");
        }
        try (RawAgent raw = new RawAgent(base, m.token())) {
            raw.send("{\"type\":\"hello\",\"machineId\":\"" + m.id() + "\",\"bootId\":\"raw-boot\"}");
            assertThat(raw.next()).contains("welcome");
            raw.send("{not json");
            assertThat(raw.nextOf("rejected")).contains("malformed frame");
            String now = Instant.now().toString();
            raw.send(heartbeat(1, now, "{\"index\":0,\"utilizationPercent\":250,\"memoryUsedMb\":1,\"temperatureC\":40}"));
            assertThat(raw.nextOf("rejected")).contains("\"seq\":1").contains("utilisation 250");
            raw.send(heartbeat(2, now, "{\"index\":3,\"utilizationPercent\":5,\"memoryUsedMb\":1,\"temperatureC\":40}"));
            assertThat(raw.nextOf("rejected")).contains("GPU index 3");
            raw.send(heartbeat(3, "2999-01-01T00:00:00Z", "{\"index\":0,\"utilizationPercent\":5,\"memoryUsedMb\":1,"
                    + "\"temperatureC\":40}"));
            assertThat(raw.nextOf("rejected")).contains("future");
            raw.send(heartbeat(4, now, "{\"index\":0,\"utilizationPercent\":5,\"memoryUsedMb\":1,\"temperatureC\":40}"));
            assertThat(raw.nextOf("ack")).contains("\"seq\":4");
            raw.send("{\"type\":\"benchmark\",\"id\":\"b-1\",\"dlperfPerGpu\":\"thirty\"}");
            assertThat(raw.nextOf("rejected")).contains("b-1").contains("decimal");
            raw.send("{\"type\":\"report\",\"workId\":\"not-mine\",\"instanceId\":\"i\",\"state\":\"running\"}");
            assertThat(raw.nextOf("rejected")).contains("unknown work");
        }
        List<Long> written = LogWriter.readAll(bootstrap(), Topics.HEARTBEATS.name()).stream()
                .filter(e -> e.aggregateId().equals(m.id())).map(e -> ((HeartbeatReceived) e).agentSeq()).toList();
        assertThat(written).as("only the sound heartbeat").containsExactly(4L);
    }

    private static String heartbeat(long seq, String at, String gpu) {
        return "{\"type\":\"heartbeat\",\"seq\":" + seq + ",\"sampledAt\":\"" + at + "\",\"gpus\":[" + gpu + "]}";
    }

    @Test
    void aBenchmarkInRangeLeadsToVerificationAndAnAnomalyDeverifiesAndFlagsForAudit() {
        Machine honest = register("RTX 4090", 1);
        Machine cheat = register("RTX 4090", 1);
        try (HostAgent a = agent(honest, 1, "RTX 4090", "36.50"); HostAgent b = agent(cheat, 1, "RTX 4090", "90.00")) {
            JsonPath h = awaitMachine(honest, "the benchmark", j -> j.get("benchmark") != null);
            assertThat(h.getString("benchmark.dlperfPerGpu")).isEqualTo("36.50");
            assertThat(h.getBoolean("benchmark.withinRange")).isTrue();
            assertThat(h.getString("dlperf")).as("the measured figure").isEqualTo("36.50");
            assertThat(h.getString("verification")).as("PCIe not declared, its checks fail: not verified")
                    .isEqualTo("unverified");

            JsonPath c = awaitMachine(cheat, "deverified", j -> "deverified".equals(j.getString("verification")));
            assertThat(c.getString("audit.reason")).contains("benchmark 90.00 DLPerf per GPU, expected 25.90 to 48.10");
            assertThat(c.getString("dlperf")).as("the table's figure stays shown").isEqualTo("37.00");
        }
        Machine sound = registerSound();
        try (HostAgent a = agent(sound, 2, "RTX 4090", "37.10")) {
            JsonPath v = awaitMachine(sound, "verified after 3 s online", j -> "verified".equals(j.getString("verification")));
            assertThat(v.getString("verificationReason")).contains("benchmark in range");
        }
    }

    private static Machine registerSound() {
        String host = UUID.randomUUID().toString();
        var registered = given().contentType(ContentType.JSON).header(Caller.ACCOUNT_HEADER, host)
                .header(Caller.ROLE_HEADER, "host")
                .body(Map.ofEntries(Map.entry("name", "sound"), Map.entry("gpuModel", "RTX 4090"), Map.entry("gpuCount", 2),
                        Map.entry("gpuRamGb", 24), Map.entry("cpuCores", 16), Map.entry("ramGb", 128),
                        Map.entry("diskGb", 1000), Map.entry("region", "EU"), Map.entry("inetUpMbps", 100),
                        Map.entry("inetDownMbps", 100), Map.entry("pcieGen", 4), Map.entry("pcieLanesPerGpu", 16)))
                .post("/api/v1/machines").then().statusCode(201).extract().jsonPath();
        assertThat(registered.getList("checks.ok", Boolean.class)).containsOnly(true);
        return new Machine(registered.getString("id"), registered.getString("agentToken"), host, registered);
    }

    @Test
    void gpuFaultsAreReportedAndClearedFromTheHeartbeats() {
        Machine m = register("RTX 4090", 2);
        try (HostAgent agent = agent(m, 2, "RTX 4090", null)) {
            awaitMachine(m, "online", j -> j.getBoolean("online"));
            agent.simulateGpuFault(1, "Xid 79: GPU has fallen off the bus");
            JsonPath f = awaitMachine(m, "the fault", j -> !j.getList("gpuFaults").isEmpty());
            assertThat(f.getInt("gpuFaults[0].gpu")).isEqualTo(1);
            assertThat(f.getString("gpuFaults[0].fault")).contains("Xid 79");
            agent.simulateGpuFault(1, null);
            awaitMachine(m, "the fault cleared", j -> j.getList("gpuFaults").isEmpty());
        }
    }

    @Test
    void maintenanceWindowsAreShownAndBadOnesRefusedChangingNothing() {
        Machine m = register("RTX 4090", 1);
        Instant start = Instant.now().plusSeconds(3600);
        var window = given().contentType(ContentType.JSON).header(Caller.ACCOUNT_HEADER, m.host())
                .header(Caller.ROLE_HEADER, "host")
                .body(Map.of("start", start.toString(), "durationHours", 2.5, "reason", "replacing a fan"))
                .post("/api/v1/machines/" + m.id() + "/maintenance").then().statusCode(201).extract().jsonPath();
        assertThat(Duration.between(Instant.parse(window.getString("start")), Instant.parse(window.getString("end"))))
                .isEqualTo(Duration.ofMinutes(150));
        JsonPath shown = machine(m);
        assertThat(shown.getString("maintenance.windows[0].reason")).isEqualTo("replacing a fan");
        assertThat(shown.getBoolean("maintenance.mode")).isFalse();

        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("start", Instant.now().minusSeconds(3600).toString(), "durationHours", 1, "reason", "x"),
                Map.of("start", Instant.now().plus(Duration.ofDays(200)).toString(), "durationHours", 1, "reason", "x"),
                Map.of("start", start.toString(), "durationHours", 0, "reason", "x"),
                Map.of("start", start.toString(), "durationHours", 1000, "reason", "x"),
                Map.of("start", start.toString(), "durationHours", 1))) {
            int status = given().contentType(ContentType.JSON).header(Caller.ACCOUNT_HEADER, m.host())
                    .header(Caller.ROLE_HEADER, "host").body(bad).post("/api/v1/machines/" + m.id() + "/maintenance")
                    .then().contentType("application/problem+json").extract().statusCode();
            assertThat(status).as(bad.toString()).isBetween(400, 422);
        }
        given().contentType(ContentType.JSON).header(Caller.ACCOUNT_HEADER, UUID.randomUUID().toString())
                .header(Caller.ROLE_HEADER, "host").body(Map.of("start", start.toString(), "durationHours", 1, "reason", "x"))
                .post("/api/v1/machines/" + m.id() + "/maintenance").then().statusCode(404);
        assertThat(machine(m).getList("maintenance.windows")).as("nothing changed").hasSize(1);
    }

    private static void issue(Machine m, String workId, String instanceId) {
        LogWriter.publish(bootstrap(), new WorkIssued(EventMeta.of(UUID.randomUUID(), m.id(), 3, Instant.now()), workId,
                instanceId, WorkAction.START, List.of(0), 40,
                new ContainerSpec("ubuntu:22.04", "args", null, List.of(), Map.of(), null, List.of())));
    }

    private static List<ContainerReported> awaitReports(String machine, String workId, int atLeast) {
        List<ContainerReported> found = new ArrayList<>();
        LogWriter.await("reports on " + workId, Duration.ofSeconds(30), () -> {
            found.clear();
            for (Event e : LogWriter.readAll(bootstrap(), Topics.MACHINES.name())) {
                if (e instanceof ContainerReported c && c.workId().equals(workId) && c.aggregateId().equals(machine)) {
                    found.add(c);
                }
            }
            return found.size() >= atLeast;
        });
        return found;
    }

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** A bare WebSocket on the agent channel, for the frames a real agent never sends. */
    static final class RawAgent extends AgentFrameListener implements AutoCloseable {
        private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final WebSocket socket;

        RawAgent(URI base, String token) throws Exception {
            socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                    .buildAsync(URI.create("ws://" + base.getAuthority() + "/api/v1/agent"), this).get(10, TimeUnit.SECONDS);
        }

        void send(String frame) throws Exception {
            socket.sendText(frame, true).get(10, TimeUnit.SECONDS);
        }

        String next() throws InterruptedException {
            String frame = received.poll(10, TimeUnit.SECONDS);
            assertThat(frame).as("a frame from node-service").isNotNull();
            return frame;
        }

        /** The next frame of a type, skipping others (acks of heartbeats, work). */
        String nextOf(String type) throws InterruptedException {
            while (true) {
                String frame = next();
                if (frame.contains("\"type\":\"" + type + "\"")) {
                    return frame;
                }
            }
        }

        @Override
        protected void onFrame(String frame) {
            received.add(frame);
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }
}
