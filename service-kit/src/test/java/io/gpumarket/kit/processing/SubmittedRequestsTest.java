package io.gpumarket.kit.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.Topics;
import io.gpumarket.events.kafka.TopicSetup;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalEvent.RentalApproved;
import io.gpumarket.events.rental.RentalEvent.RentalRequested;
import io.gpumarket.events.serde.EventJson;
import io.gpumarket.kit.kafka.KafkaSettings;
import io.gpumarket.kit.kafka.Partitions;
import io.gpumarket.kit.processing.DecidedOnWriteTest.Placements;
import io.gpumarket.testsupport.Infrastructure;
import io.gpumarket.testsupport.LogWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * {@link ProcessorRunner#submit} on a real broker: requests from the API written by the runner
 * itself. Submitted from many threads while the runner polls and ticks, each is written once and,
 * where the processor takes the decision on write, decided in the transaction that wrote it and not
 * again when read back; the wake-ups that cut its polls short never restart it. Left to the log, a
 * submitted request is decided once when read back. A stopped runner refuses submissions at once.
 */
class SubmittedRequestsTest {
    private final String kafka = Infrastructure.get().kafkaBootstrapServers();
    private final KafkaSettings settings = new KafkaSettings(kafka, "rental");

    @Test
    void requestsSubmittedConcurrentlyAreWrittenOnceAndDecidedInTheTransactionThatWritesThem() throws Exception {
        Placements processor = new Placements("submitted-" + UUID.randomUUID(), true);
        processor.tickInterval = Duration.ofMillis(5);
        var runner = start(processor);
        int recoveries = processor.states.size();
        List<String> instances = new ArrayList<>();
        List<CompletableFuture<Void>> written = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<CompletableFuture<Void>>> submissions = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                RentalRequested request = request();
                instances.add(request.instanceId());
                submissions.add(CompletableFuture.supplyAsync(() -> {
                    pause(ThreadLocalRandom.current().nextInt(0, 20));
                    return runner.submit(request);
                }, callers));
            }
            for (var s : submissions) {
                written.add(s.get(60, TimeUnit.SECONDS));
            }
            CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            callers.shutdownNow();
        }
        // only offsets that moved are sent: none may be left behind
        LogWriter.await("the group's offsets at the log end", Duration.ofSeconds(30),
                () -> committedAtLogEnd(processor.name()));
        runner.stop();

        Map<String, List<ConsumerRecord<String, byte[]>>> requests = new HashMap<>();
        Map<String, Integer> approvals = new HashMap<>();
        Map<String, Integer> allocations = new HashMap<>();
        for (var r : readAll(Topics.RENTALS.name())) {
            Event e = EventJson.read(r.value(), Topics.RENTALS.valueType());
            if (e instanceof RentalRequested q) {
                requests.computeIfAbsent(q.instanceId(), k -> new ArrayList<>()).add(r);
            } else if (e instanceof RentalApproved a) {
                approvals.merge(a.instanceId(), 1, Integer::sum);
            } else if (e instanceof GpusAllocated a) {
                allocations.merge(a.instanceId(), 1, Integer::sum);
            }
        }
        for (String instance : instances) {
            assertThat(requests.get(instance)).as("written once: " + instance).hasSize(1);
            assertThat(requests.get(instance).get(0).headers().lastHeader(ProcessorRunner.DECIDED_HEADER))
                    .as("decided in the transaction that wrote it: " + instance).isNotNull();
            assertThat(approvals.get(instance)).as("approved once: " + instance).isEqualTo(1);
            assertThat(allocations.get(instance)).as("placed once: " + instance).isEqualTo(1);
        }
        assertThat(processor.decidedReadBack).as("no placement decided again when read back")
                .doesNotContainAnyElementsOf(instances);
        assertThat(processor.states).as("never restarted (a restart rebuilds every partition's state)")
                .hasSize(recoveries);
    }

    @Test
    void aSubmittedRequestLeftToTheLogIsDecidedOnceWhenReadBack() throws Exception {
        Placements processor = new Placements("submitted-" + UUID.randomUUID(), false);
        var runner = start(processor);
        RentalRequested request = request();
        runner.submit(request).get(30, TimeUnit.SECONDS);
        LogWriter.await("the placement", Duration.ofSeconds(30),
                () -> processor.decidedReadBack.contains(request.instanceId()));
        runner.stop();
        var written = readAll(Topics.RENTALS.name()).stream()
                .filter(r -> EventJson.read(r.value(), Topics.RENTALS.valueType()) instanceof RentalRequested q
                        && q.instanceId().equals(request.instanceId()))
                .toList();
        assertThat(written).as("written once").hasSize(1);
        assertThat(written.get(0).headers().lastHeader(ProcessorRunner.DECIDED_HEADER)).as("not marked").isNull();
        assertThat(LogWriter.readAll(kafka, Topics.RENTALS.name()).stream()
                .filter(e -> e instanceof RentalApproved a && a.instanceId().equals(request.instanceId())))
                .as("approved once, when read back").hasSize(1);
        assertThat(processor.decidedReadBack).containsOnlyOnce(request.instanceId());
    }

    @Test
    void aStoppedRunnerRefusesSubmissionsAtOnce() {
        var runner = start(new Placements("submitted-" + UUID.randomUUID(), true));
        runner.stop();
        assertThatThrownBy(() -> runner.submit(request()).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("stopping");
        assertThatThrownBy(() -> runner.submit(new GpusAllocated(EventMeta.of(UUID.randomUUID(), "m", 0, Instant.now()),
                "i", List.of(0), null))).as("an output is not a request").isInstanceOf(IllegalArgumentException.class);
    }

    private ProcessorRunner<Placements.State> start(Placements processor) {
        TopicSetup.ensureAll(Map.of("bootstrap.servers", kafka));
        return DecidedOnWriteTest.started(processor, settings);
    }

    /** A rent whose account and machine land on different partitions. */
    static RentalRequested request() {
        String account = "acc-" + UUID.randomUUID();
        String machine;
        do {
            machine = "m-" + UUID.randomUUID();
        } while (Partitions.of(machine) == Partitions.of(account));
        return new RentalRequested(EventMeta.of(UUID.randomUUID(), account, 0, Instant.now()), "i-" + UUID.randomUUID(),
                account, "offer", machine, "host", null, null, null);
    }

    /** Whether the group's committed offset in every partition of the rentals topic is its log end. */
    private boolean committedAtLogEnd(String group) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < Topics.PARTITIONS; p++) {
                latest.put(new TopicPartition(Topics.RENTALS.name(), p), OffsetSpec.latest());
            }
            var ends = admin.listOffsets(latest).all().get();
            return latest.keySet().stream().allMatch(tp -> committed.get(tp) != null
                    && committed.get(tp).offset() == ends.get(tp).offset());
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", kafka, "isolation.level",
                "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }

    private static void pause(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
