package io.gpumarket.kit.processing;

import io.gpumarket.events.Event;
import io.gpumarket.events.Topics;
import io.gpumarket.events.serde.EventJson;
import io.gpumarket.kit.kafka.ConsumerWorker;
import io.gpumarket.kit.kafka.DeadLetters;
import io.gpumarket.kit.kafka.EventPublisher;
import io.gpumarket.kit.kafka.KafkaSettings;
import io.gpumarket.kit.kafka.Partitions;
import io.gpumarket.kit.kafka.RecordFilter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Runs a {@link Processor} exactly once per input, with Kafka transactions: the outputs of a batch
 * and the consumer offsets past its inputs commit together ({@code sendOffsetsToTransaction} with
 * the group's metadata, so a replica that lost its partitions is fenced). On assignment of a
 * partition it replays that partition of every topic from offset 0 to the log end, topic after topic
 * in the processor's order, folding every record into fresh state; inputs at or past the committed
 * offset are then decided. After each decision and each tick the processor may settle the state
 * ({@link Processor#settle}) in the same transaction (a live-only topic is not replayed: it is read on from the committed
 * offset). Afterwards own
 * outputs are folded in as they are produced and, when read back, passed over by their type header
 * without being parsed. An input the processor writes for a partition owned here may be decided
 * at once, in the same transaction ({@link Processor#decideOnWrite}); its record then carries the
 * {@value #DECIDED_HEADER} header, and is passed over when read back live and folded in (never
 * decided) when replayed. Any failure drops all state and starts over from the log
 * ({@link ConsumerWorker}).
 */
public final class ProcessorRunner<S> extends ConsumerWorker {
    private static final Logger LOG = Logger.getLogger(ProcessorRunner.class);
    /** Marks an input decided in the transaction that wrote it. */
    static final String DECIDED_HEADER = "decided";

    private final Processor<S> processor;
    private final KafkaSettings settings;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final Map<Integer, S> states = new ConcurrentHashMap<>();
    private final List<String> topics;
    private final Set<String> liveOnly;
    /** Passes over the own outputs on the topics (by type header) when they are read back live. */
    private final RecordFilter inputs;
    private final Map<Class<?>, Boolean> inputTypes = new ConcurrentHashMap<>();
    private volatile boolean ready;
    private KafkaProducer<String, byte[]> producer;
    private Instant nextTick = Instant.EPOCH;

    public ProcessorRunner(Processor<S> processor, KafkaSettings settings, DeadLetters deadLetters, Clock clock) {
        super("processor-" + processor.name());
        this.processor = processor;
        this.settings = settings;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.topics = processor.topics().stream().map(t -> t.name()).toList();
        this.liveOnly = processor.liveOnlyTopics().stream().map(t -> t.name()).collect(Collectors.toSet());
        this.inputs = new RecordFilter(processor.topics(), this::isInput);
    }

    private boolean isInput(Class<? extends Event> type) {
        return inputTypes.computeIfAbsent(type, t -> processor.isInput(type));
    }

    public String name() {
        return processor.name();
    }

    /** True once the first assignment has been replayed and its pending inputs decided. */
    public boolean ready() {
        return ready;
    }

    @Override
    protected void beforeStart() {
        states.clear();
    }

    @Override
    protected KafkaConsumer<String, byte[]> newConsumer() {
        return new KafkaConsumer<>(settings.consumer(processor.name()));
    }

    @Override
    protected void work(KafkaConsumer<String, byte[]> c) {
        try (var p = new KafkaProducer<String, byte[]>(settings.producer(processor.name()))) {
            producer = p;
            p.initTransactions();
            c.subscribe(topics, new Rebalance());
            while (running()) {
                var records = c.poll(Duration.ofMillis(100));
                if (!records.isEmpty()) {
                    List<ConsumerRecord<String, byte[]>> list = new ArrayList<>();
                    records.forEach(list::add);
                    decideAll(list);
                }
                tickIfDue();
            }
        } finally {
            producer = null;
        }
    }

    /** Decides every input among the records in one transaction, committing offsets past all of them. */
    private void decideAll(List<ConsumerRecord<String, byte[]>> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        producer.beginTransaction();
        try {
            Instant now = clock.instant();
            for (var r : records) {
                offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                if (!inputs.keeps(r) || decidedOnWrite(r)) {
                    continue; // folded in when it was produced
                }
                Event event = read(r);
                if (event == null || !isInput(event.getClass())) {
                    continue;
                }
                S state = states.get(r.partition());
                if (state == null) {
                    throw new IllegalStateException("record from partition " + r.partition() + " not owned here");
                }
                processor.evolve(state, event);
                List<Event> outputs;
                try {
                    outputs = processor.decide(state, event, now);
                } catch (RuntimeException e) {
                    deadLetters.send(processor.name(), r, e);
                    continue;
                }
                emit(r.partition(), state, outputs, now);
                emit(r.partition(), state, processor.settle(state, now), now);
            }
            producer.sendOffsetsToTransaction(offsets, consumer().groupMetadata());
            producer.commitTransaction();
        } catch (RuntimeException e) {
            abortQuietly();
            throw e;
        }
    }

    private void tickIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextTick) || states.isEmpty()) {
            return;
        }
        nextTick = now.plus(processor.tickInterval());
        producer.beginTransaction();
        try {
            for (var e : states.entrySet()) {
                emit(e.getKey(), e.getValue(), processor.tick(e.getValue(), now), now);
                emit(e.getKey(), e.getValue(), processor.settle(e.getValue(), now), now);
            }
            Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
            for (TopicPartition tp : consumer().assignment()) {
                positions.put(tp, new OffsetAndMetadata(consumer().position(tp)));
            }
            producer.sendOffsetsToTransaction(positions, consumer().groupMetadata());
            producer.commitTransaction();
        } catch (RuntimeException e) {
            abortQuietly();
            throw e;
        }
    }

    /**
     * Sends outputs inside the open transaction and folds own outputs (those on the processor's
     * own topics that are not inputs) into the deciding partition's state. An output that is an
     * input for a partition owned here is offered to {@link Processor#decideOnWrite}; if decided,
     * it is written marked as such, followed by its decision's outputs.
     */
    private void emit(int partition, S state, List<Event> outputs, Instant now) {
        for (Event out : outputs) {
            var record = EventPublisher.record(settings, out);
            if (!topics.contains(Topics.of(out).name())) {
                producer.send(record);
            } else if (!isInput(out.getClass())) {
                if (Partitions.of(out.aggregateId()) != partition) {
                    throw new IllegalStateException(out.getClass().getSimpleName() + " keyed by "
                            + out.aggregateId() + " leaves the partition that decided it");
                }
                producer.send(record);
                processor.evolve(state, out);
            } else {
                int target = Partitions.of(out.aggregateId());
                S owner = states.get(target);
                List<Event> decided = owner == null ? null : processor.decideOnWrite(owner, out, now);
                if (decided != null) {
                    record.headers().add(DECIDED_HEADER, new byte[] {1});
                }
                producer.send(record);
                if (decided != null) {
                    emit(target, owner, decided, now);
                    emit(target, owner, processor.settle(owner, now), now);
                }
            }
        }
    }

    private static boolean decidedOnWrite(ConsumerRecord<String, byte[]> r) {
        return r.headers().lastHeader(DECIDED_HEADER) != null;
    }

    private Event read(ConsumerRecord<String, byte[]> r) {
        try {
            return EventJson.read(r.value(), Topics.byName(r.topic()).orElseThrow().valueType());
        } catch (RuntimeException e) {
            deadLetters.send(processor.name(), r, e);
            return null;
        }
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (RuntimeException ignored) {
            // the producer is closed and rebuilt anyway
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> states.remove(tp.partition()));
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Set<Integer> numbers = new HashSet<>();
            partitions.forEach(tp -> numbers.add(tp.partition()));
            Map<TopicPartition, OffsetAndMetadata> committed = consumer().committed(new HashSet<>(partitions));
            for (int p : numbers) {
                recover(p, committed);
            }
            ready = true;
        }
    }

    /**
     * Rebuilds partition {@code p}'s state from offset 0 up to the log end, decides the inputs the
     * previous owner left undecided, and points the group consumer at the log end.
     */
    private void recover(int p, Map<TopicPartition, OffsetAndMetadata> committed) {
        S state = processor.emptyState();
        List<ConsumerRecord<String, byte[]>> pending = new ArrayList<>();
        Map<TopicPartition, Long> ends = new HashMap<>();
        try (var reader = new KafkaConsumer<String, byte[]>(settings.reader())) {
            // one topic after another, in the order the processor lists them: within a topic the
            // log's order, across topics an order the processor's evolve is written for
            for (String topic : topics) {
                TopicPartition tp = new TopicPartition(topic, p);
                var c = committed.get(tp);
                if (liveOnly.contains(topic)) {
                    // read on from where the previous owner stopped, as live inputs
                    ends.put(tp, c != null ? c.offset() : reader.endOffsets(List.of(tp)).get(tp));
                    continue;
                }
                reader.assign(List.of(tp));
                reader.seekToBeginning(List.of(tp));
                long end = reader.endOffsets(List.of(tp)).get(tp);
                ends.put(tp, end);
                while (reader.position(tp) < end) {
                    for (var r : reader.poll(Duration.ofMillis(200))) {
                        if (r.offset() >= end) {
                            continue;
                        }
                        Event event;
                        try {
                            event = EventJson.read(r.value(), Topics.byName(r.topic()).orElseThrow().valueType());
                        } catch (RuntimeException e) {
                            continue;
                        }
                        if (isInput(event.getClass()) && !decidedOnWrite(r)
                                && (c == null || r.offset() >= c.offset())) {
                            pending.add(r);
                        } else {
                            processor.evolve(state, event);
                        }
                    }
                }
            }
        }
        states.put(p, state);
        pending.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
        if (!pending.isEmpty()) {
            LOG.infof("processor %s: deciding %d inputs left undecided in partition %d", processor.name(),
                    pending.size(), p);
            decideAll(pending);
        }
        ends.forEach(consumer()::seek);
    }
}
