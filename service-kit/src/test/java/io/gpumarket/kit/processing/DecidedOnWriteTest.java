package io.gpumarket.kit.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.kafka.TopicSetup;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalEvent.PlacementRequested;
import io.gpumarket.events.rental.RentalEvent.RentalApproved;
import io.gpumarket.events.rental.RentalEvent.RentalRequested;
import io.gpumarket.events.rental.RentalType;
import io.gpumarket.events.serde.EventJson;
import io.gpumarket.kit.kafka.DeadLetters;
import io.gpumarket.kit.kafka.KafkaSettings;
import io.gpumarket.kit.kafka.Partitions;
import io.gpumarket.testsupport.Infrastructure;
import io.gpumarket.testsupport.LogWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * {@link ProcessorRunner} on a real broker with a processor whose account approves a request and
 * asks a machine (on another partition) to place it, decided on write: the placement is decided
 * once, in the approving transaction, and skipped when read back; after a crash that left it past
 * the committed offset, recovery folds it in where the log holds it, so deciding it again finds
 * its placement and writes nothing.
 */
class DecidedOnWriteTest {
    private final String kafka = Infrastructure.get().kafkaBootstrapServers();
    private final KafkaSettings settings = new KafkaSettings(kafka, "rental");

    @Test
    void aPlacementIsDecidedOnceLiveAndNotAgainAfterACrashBeforeItWasReadBack() throws Exception {
        TopicSetup.ensureAll(Map.of("bootstrap.servers", kafka));
        String name = "placements-" + UUID.randomUUID();
        String account = "acc-" + UUID.randomUUID();
        String machine = machineOnAnotherPartitionThan(account);
        String instance = "i-" + UUID.randomUUID();
        TopicPartition machinePartition = new TopicPartition(Topics.RENTALS.name(), Partitions.of(machine));

        Placements live = new Placements(name);
        var runner = start(live);
        LogWriter.publish(kafka, new RentalRequested(meta(account), instance, account, "offer", machine, "host", null,
                null, null));
        LogWriter.await("the placement", Duration.ofSeconds(30), () -> allocations(instance) == 1);
        long placementAt = offsetOfPlacement(machinePartition, instance);
        LogWriter.await("the placement read back", Duration.ofSeconds(30),
                () -> committed(name, machinePartition) > placementAt);
        runner.stop();
        assertThat(live.placementDecisions).as("decided on write, skipped when read back").hasValue(1);

        // a crash between the approving transaction and the read back leaves the placement past the committed offset
        try (Admin admin = Admin.create(settings.admin())) {
            admin.alterConsumerGroupOffsets(name, Map.of(machinePartition, new OffsetAndMetadata(placementAt))).all().get();
        }
        Placements recovered = new Placements(name);
        runner = start(recovered);
        LogWriter.await("the recovered placement read back", Duration.ofSeconds(30),
                () -> committed(name, machinePartition) > placementAt);
        runner.stop();
        assertThat(recovered.placementDecisions).as("decided again on recovery").hasValue(1);
        assertThat(allocations(instance)).as("and placed once only").isEqualTo(1);
    }

    private ProcessorRunner<Placements.State> start(Placements processor) {
        var runner = new ProcessorRunner<>(processor, settings, new DeadLetters(settings, new SimpleMeterRegistry()),
                Clock.systemUTC());
        runner.start();
        LogWriter.await("the runner", Duration.ofSeconds(60), runner::ready);
        return runner;
    }

    private long allocations(String instance) {
        return LogWriter.readAll(kafka, Topics.RENTALS.name()).stream()
                .filter(e -> e instanceof GpusAllocated a && a.instanceId().equals(instance)).count();
    }

    private long offsetOfPlacement(TopicPartition tp, String instance) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", kafka, "isolation.level",
                "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    Event e = EventJson.read(r.value(), Topics.RENTALS.valueType());
                    if (e instanceof PlacementRequested p && p.instanceId().equals(instance)) {
                        return r.offset();
                    }
                }
            }
        }
        throw new AssertionError("no placement request for " + instance + " in " + tp);
    }

    private long committed(String group, TopicPartition tp) {
        try (Admin admin = Admin.create(settings.admin())) {
            OffsetAndMetadata at = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp);
            return at == null ? -1 : at.offset();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String machineOnAnotherPartitionThan(String account) {
        String machine;
        do {
            machine = "m-" + UUID.randomUUID();
        } while (Partitions.of(machine) == Partitions.of(account));
        return machine;
    }

    private static EventMeta meta(String aggregate) {
        return EventMeta.of(UUID.randomUUID(), aggregate, 0, Instant.now());
    }

    /**
     * The smallest two-aggregate flow: an account approves each request and asks the machine to
     * place it (decided on write); the machine places an asked instance once. Like rental-service's
     * machine, it makes an instance from the request it was asked, so a placement it finds before
     * its request is lost: recovery must fold the request in where the log holds it.
     */
    static final class Placements implements Processor<Placements.State> {
        static final class State {
            final Set<String> asked = new HashSet<>();
            final Set<String> placed = new HashSet<>();
        }

        final AtomicInteger placementDecisions = new AtomicInteger();
        private final String name;

        Placements(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<TopicSpec<? extends Event>> topics() {
            return List.of(Topics.RENTALS);
        }

        @Override
        public State emptyState() {
            return new State();
        }

        @Override
        public boolean isInput(Event event) {
            return event instanceof RentalRequested || event instanceof PlacementRequested;
        }

        @Override
        public boolean decidedOnWrite(Event input) {
            return input instanceof PlacementRequested;
        }

        @Override
        public void evolve(State state, Event event) {
            if (event instanceof PlacementRequested p && !state.placed.contains(p.instanceId())) {
                state.asked.add(p.instanceId());
            } else if (event instanceof GpusAllocated a && state.asked.remove(a.instanceId())) {
                state.placed.add(a.instanceId());
            }
        }

        @Override
        public List<Event> decide(State state, Event input, Instant now) {
            if (input instanceof RentalRequested r) {
                return List.of(new RentalApproved(meta(r.accountId()), r.instanceId(), r.machineId(), 0, 0),
                        new PlacementRequested(meta(r.machineId()), r.instanceId(), r.accountId(), r.hostAccountId(),
                                null, null, null));
            }
            PlacementRequested p = (PlacementRequested) input;
            placementDecisions.incrementAndGet();
            return state.placed.contains(p.instanceId()) ? List.of()
                    : List.of(new GpusAllocated(meta(p.aggregateId()), p.instanceId(), List.of(0), RentalType.ONDEMAND));
        }
    }
}
