package io.gpumarket.kit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.events.EventMeta;
import io.gpumarket.events.Topics;
import io.gpumarket.events.kafka.TopicSetup;
import io.gpumarket.events.machine.ContainerState;
import io.gpumarket.events.machine.MachineEvent.ContainerReported;
import io.gpumarket.events.rental.RentalEvent.PlacementRequested;
import io.gpumarket.testsupport.Infrastructure;
import io.gpumarket.testsupport.LogWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StreamPublisher#publishPromptly} on a real broker: records published one after another
 * without waiting land in that order, each future tells where, and a {@code read_committed} reader
 * sees each once, in that order; a topic this service does not write is refused and nothing
 * reaches it.
 */
class StreamPublisherTest {
    private final String kafka = Infrastructure.get().kafkaBootstrapServers();
    private final StreamPublisher publisher = new StreamPublisher(new KafkaSettings(kafka, "node"));

    @AfterEach
    void close() {
        publisher.close();
    }

    @Test
    void promptRecordsLandInTheOrderTheyWerePublished() throws Exception {
        TopicSetup.ensureAll(Map.of("bootstrap.servers", kafka));
        String machine = "m-" + UUID.randomUUID();
        List<String> workIds = new ArrayList<>();
        List<CompletableFuture<RecordMetadata>> written = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String workId = "w-" + i + "-" + UUID.randomUUID();
            workIds.add(workId);
            written.add(publisher.publishPromptly(new ContainerReported(
                    EventMeta.of(UUID.randomUUID(), machine, 0, Instant.now()), workId, "i-1", ContainerState.RUNNING, null)));
        }
        List<Long> offsets = new ArrayList<>();
        for (var f : written) {
            RecordMetadata m = f.get(30, TimeUnit.SECONDS);
            assertThat(m.topic()).isEqualTo(Topics.MACHINES.name());
            offsets.add(m.offset());
        }
        assertThat(offsets).as("offsets in publish order").isSorted().doesNotHaveDuplicates();

        List<String> read = LogWriter.readAll(kafka, Topics.MACHINES.name()).stream()
                .filter(e -> e instanceof ContainerReported r && r.aggregateId().equals(machine))
                .map(e -> ((ContainerReported) e).workId()).toList();
        assertThat(read).as("read back committed, once each, in order").containsExactlyElementsOf(workIds);
    }

    @Test
    void aTopicOfAnotherServiceIsRefused() {
        TopicSetup.ensureAll(Map.of("bootstrap.servers", kafka));
        String instance = "i-" + UUID.randomUUID();
        var notOurs = new PlacementRequested(EventMeta.of(UUID.randomUUID(), "m-1", 0, Instant.now()), instance,
                "a-1", "h-1", null, null, null);

        assertThatThrownBy(() -> publisher.publishPromptly(notOurs).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("may not write " + Topics.RENTALS.name());
        assertThat(LogWriter.readAll(kafka, Topics.RENTALS.name()))
                .noneMatch(e -> e instanceof PlacementRequested p && p.instanceId().equals(instance));
    }
}
