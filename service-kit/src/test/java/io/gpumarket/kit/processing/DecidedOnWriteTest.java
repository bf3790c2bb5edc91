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
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * {@link ProcessorRunner} on a real broker with the smallest two-aggregate flow: an account
 * approves a request and asks a machine (on another partition) to place it. Decided on write, the
 * placement is decided once, in the approving transaction, marked so on the log, and passed over
 * when read back; after a crash that left it past the committed offset, recovery folds it in where
 * the log holds it and decides nothing again. Left to the log, it is decided once when read back.
 */
class DecidedOnWriteTest {
    private final String kafka = Infrastructure.get().kafkaBootstrapServers();
    private final KafkaSettings settings = new KafkaSettings(kafka, "rental");

    @Test
    void aPlacementDecidedOnWriteIsDecidedOnceLiveAndNotAgainAfterACrashBeforeItWasReadBack() throws Exception {
        String name = "placements-" + UUID.randomUUID();
        Placements live = new Placements(name, true);
        Rent rent = rentOnce(live);
        assertThat(rent.request.headers().lastHeader(ProcessorRunner.DECIDED_HEADER)).as("marked decided").isNotNull();
        assertThat(live.decidedOnWrite).as("decided on write, once").containsOnlyOnce(rent.instance);
        assertThat(live.decidedReadBack).as("passed over when read back").doesNotContain(rent.instance);

        // a crash between the approving transaction and the read back leaves the request past the committed offset
        try (Admin admin = Admin.create(settings.admin())) {
            admin.alterConsumerGroupOffsets(name, Map.of(rent.partition, new OffsetAndMetadata(rent.request.offset())))
                    .all().get();
        }
        Placements recovered = new Placements(name, true);
        var runner = start(recovered);
        LogWriter.await("the recovered request read back", Duration.ofSeconds(30),
                () -> committed(name, rent.partition) > rent.request.offset());
        runner.stop();
        assertThat(recovered.decidedOnWrite).as("nothing decided again").doesNotContain(rent.instance);
        assertThat(recovered.decidedReadBack).as("nothing decided again").doesNotContain(rent.instance);
        assertThat(recovered.states).as("the replay folded the request and its placement in")
                .anyMatch(s -> s.placed.contains(rent.instance));
        assertThat(allocations(rent.instance)).as("placed once only").isEqualTo(1);
    }

    @Test
    void aPlacementLeftToTheLogIsDecidedOnceWhenReadBack() throws Exception {
        Placements deferring = new Placements("placements-" + UUID.randomUUID(), false);
        Rent rent = rentOnce(deferring);
        assertThat(rent.request.headers().lastHeader(ProcessorRunner.DECIDED_HEADER)).as("not marked").isNull();
        assertThat(deferring.decidedOnWrite).doesNotContain(rent.instance);
        assertThat(deferring.decidedReadBack).as("decided when read back, once").containsOnlyOnce(rent.instance);
        assertThat(allocations(rent.instance)).isEqualTo(1);
    }

    /** A rent's placement request as the log holds it, and the machine's partition of the rentals topic. */
    private record Rent(String instance, TopicPartition partition, ConsumerRecord<String, byte[]> request) {}

    /**
     * Runs the processor until one rent (account and machine on different partitions) is placed
     * and its placement request has been read back past the committed offset, then stops it.
     */
    private Rent rentOnce(Placements processor) {
        TopicSetup.ensureAll(Map.of("bootstrap.servers", kafka));
        String account = "acc-" + UUID.randomUUID();
        String machine = machineOnAnotherPartitionThan(account);
        String instance = "i-" + UUID.randomUUID();
        TopicPartition partition = new TopicPartition(Topics.RENTALS.name(), Partitions.of(machine));
        var runner = start(processor);
        LogWriter.publish(kafka, new RentalRequested(meta(account), instance, account, "offer", machine, "host", null,
                null, null));
        LogWriter.await("the placement", Duration.ofSeconds(30), () -> allocations(instance) == 1);
        ConsumerRecord<String, byte[]> request = placementRequest(partition, instance);
        LogWriter.await("the placement read back", Duration.ofSeconds(30),
                () -> committed(processor.name(), partition) > request.offset());
        runner.stop();
        return new Rent(instance, partition, request);
    }

    private ProcessorRunner<Placements.State> start(Placements processor) {
        return started(processor, settings);
    }

    /** A runner of the processor on the system clock, started and recovered. */
    static <S> ProcessorRunner<S> started(Processor<S> processor, KafkaSettings settings) {
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

    private ConsumerRecord<String, byte[]> placementRequest(TopicPartition tp, String instance) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", kafka, "isolation.level",
                "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    Event e = EventJson.read(r.value(), Topics.RENTALS.valueType());
                    if (e instanceof PlacementRequested p && p.instanceId().equals(instance)) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no placement request for " + instance + " in " + tp);
    }

    private long committed(String group, TopicPartition tp) {
        return committed(settings, group, tp);
    }

    /** The group's committed offset in the partition, -1 when it has none (or the broker does not answer). */
    static long committed(KafkaSettings settings, String group, TopicPartition tp) {
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
     * An account approves each request and asks the machine to place it; the machine places an
     * asked instance once. When {@code onWrite}, both are decided at once where the partition is
     * owned, else when read back. Like
     * rental-service's machine, it makes an instance from the request it was asked, so a placement
     * folded in before its request is lost: recovery must fold the request in where the log holds it.
     */
    static final class Placements implements Processor<Placements.State> {
        static final class State {
            final Set<String> asked = new HashSet<>();
            final Set<String> placed = new HashSet<>();
        }

        /** The instances whose placement was decided on write, and when read back (a fresh group decides the whole log). */
        final List<String> decidedOnWrite = new CopyOnWriteArrayList<>();
        final List<String> decidedReadBack = new CopyOnWriteArrayList<>();
        final List<State> states = new CopyOnWriteArrayList<>();
        private final String name;
        private final boolean onWrite;
        /** How often the runner ticks (the processor's ticks emit nothing, but commit the positions). */
        Duration tickInterval = Duration.ofSeconds(5);

        Placements(String name, boolean onWrite) {
            this.name = name;
            this.onWrite = onWrite;
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
            State s = new State();
            states.add(s);
            return s;
        }

        @Override
        public boolean isInput(Class<? extends Event> type) {
            return type == RentalRequested.class || type == PlacementRequested.class;
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
            decidedReadBack.add(p.instanceId());
            return place(state, p);
        }

        @Override
        public Duration tickInterval() {
            return tickInterval;
        }

        @Override
        public List<Event> decideOnWrite(State state, Event input, Instant now) {
            if (!onWrite) {
                return null;
            }
            if (input instanceof RentalRequested) {
                return decide(state, input, now);
            }
            PlacementRequested p = (PlacementRequested) input;
            decidedOnWrite.add(p.instanceId());
            evolve(state, p);
            return place(state, p);
        }

        private static List<Event> place(State state, PlacementRequested p) {
            return state.placed.contains(p.instanceId()) ? List.of()
                    : List.of(new GpusAllocated(meta(p.aggregateId()), p.instanceId(), List.of(0), RentalType.ONDEMAND));
        }
    }
}
