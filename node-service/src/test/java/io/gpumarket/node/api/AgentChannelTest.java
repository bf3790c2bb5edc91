package io.gpumarket.node.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.agent.HostAgent;
import io.gpumarket.agent.runtime.SimulatedRuntime;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.Topics;
import io.gpumarket.events.machine.ContainerState;
import io.gpumarket.events.machine.MachineEvent;
import io.gpumarket.events.machine.MachineEvent.ContainerReported;
import io.gpumarket.events.rental.ContainerSpec;
import io.gpumarket.events.rental.RentalEvent.WorkIssued;
import io.gpumarket.events.rental.WorkAction;
import io.gpumarket.events.serde.EventJson;
import io.gpumarket.kit.api.Caller;
import io.gpumarket.testsupport.GpumarketTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The real host agent on node-service's agent channel, against a real broker and PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = GpumarketTestResource.class, initArgs = @ResourceArg(name = "db", value = "node_test"))
class AgentChannelTest {
    @TestHTTPResource("/")
    URI base;

    @Test
    void theAgentComesOnlineCarriesOutWorkAndAWrongTokenIsRefused() throws Exception {
        String host = UUID.randomUUID().toString();
        var registered = given().contentType(ContentType.JSON).header(Caller.ACCOUNT_HEADER, host)
                .header(Caller.ROLE_HEADER, "host")
                .body(Map.of("name", "rig", "gpuModel", "RTX 4090", "gpuCount", 2, "gpuRamGb", 24, "cpuCores", 16,
                        "ramGb", 128, "diskGb", 1000, "region", "EU", "inetUpMbps", 100, "inetDownMbps", 100))
                .post("/api/v1/machines").then().statusCode(201).extract();
        String machine = registered.path("id");
        String token = registered.path("agentToken");
        // a check whose field was not declared fails and says so
        assertThat(registered.<List<Map<String, Object>>>path("checks"))
                .anySatisfy(c -> assertThat(c.get("detail").toString()).contains("not declared"));

        try (HostAgent wrong = new HostAgent(base, machine, "gpa_wrong", new SimulatedRuntime(Duration.ZERO), 2)) {
            wrong.start();
            assertThat(wrong.awaitEnd()).contains("wrong agent token");
        }

        try (HostAgent agent = new HostAgent(base, machine, token, new SimulatedRuntime(Duration.ZERO), 2).start()) {
            awaitOnline(machine, host, true);
            String workId = UUID.randomUUID().toString();
            var work = new WorkIssued(EventMeta.of(UUID.randomUUID(), machine, 3, Instant.now()), workId, "i-1",
                    WorkAction.START, List.of(0, 1), 40,
                    new ContainerSpec("ubuntu:22.04", "args", null, List.of(), Map.of(), null, List.of()));
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap()),
                    new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(Topics.RENTALS.name(), machine, EventJson.write(work))).get();
            }
            ContainerReported report = awaitReport(machine, workId);
            assertThat(report.state()).isEqualTo(ContainerState.RUNNING);
            assertThat(report.instanceId()).isEqualTo("i-1");
        }
        // no heartbeats once the agent is gone: after the missed beats the machine goes offline
        awaitOnline(machine, host, false);
    }

    private static void awaitOnline(String machine, String host, boolean online) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        boolean now = !online;
        while (now != online && System.nanoTime() < deadline) {
            now = given().header(Caller.ACCOUNT_HEADER, host).header(Caller.ROLE_HEADER, "host")
                    .get("/api/v1/machines/" + machine).then().statusCode(200).extract().path("online");
            Thread.sleep(100);
        }
        assertThat(now).isEqualTo(online);
    }

    private static ContainerReported awaitReport(String machine, String workId) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap(),
                "isolation.level", "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            consumer.partitionsFor(Topics.MACHINES.name()).forEach(p -> tps.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    MachineEvent e = EventJson.read(r.value(), MachineEvent.class);
                    if (e instanceof ContainerReported c && c.workId().equals(workId)) {
                        return c;
                    }
                }
            }
        }
        throw new AssertionError("no report for work " + workId + " on machine " + machine);
    }

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }
}
