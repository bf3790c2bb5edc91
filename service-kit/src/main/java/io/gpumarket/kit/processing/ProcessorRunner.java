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
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Runs a {@link Processor} exactly once per input, with Kafka transactions: the outputs of a batch
 * and the consumer offsets past its inputs commit together ({@code sendOffsetsToTransaction} with
 * the group's metadata, so a replica that lost its partitions is fenced; only offsets that moved are
 * sent, {@link CommittedOffsets}). On assignment of a
 * partition it replays that partition of every topic from offset 0 to the log end, topic after topic
 * in the processor's order, folding every record into fresh state; inputs at or past the committed
 * offset are then decided. After each decision and each tick the processor may settle the state
 * ({@link Processor#settle}) in the same transaction (a live-only topic is not replayed: it is read on from the committed
 * offset). Afterwards own
 * outputs are folded in as they are produced and, when read back, passed over by their type header
 * without being parsed. An input the processor writes for a partition owned here may be decided
 * at once, in the same transaction ({@link Processor#decideOnWrite}); its record then carries the
 * {@value #DECIDED_HEADER} header, and is passed over when read back live and folded in (never
 * decided) when replayed. Requests from this service's API ({@link #submit}) are written the same
 * way, in the next transaction, so one that this replica's partition decides at once needs no trip
 * through the log; a submission wakes the consumer's poll, and a wake-up is only ever left pending
 * inside a poll, so no other consumer call is interrupted. Any failure drops all state and starts
 * over from the log ({@link ConsumerWorker}).
 *
 * <p>A batch whose decisions wrote nothing (own outputs read back, facts only folded in) and that
 * carries no request opens no transaction: the offsets past it are committed with the next
 * transaction, by a decision, a request or the tick, or once a poll finds nothing new. Any output
 * decided on a state those inputs had reached commits their offsets with it, so an input whose
 * offset is not committed yet has had no effect outside this process; a replica that takes the
 * partition over decides it again on the same facts, as if it had arrived later.
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
    private final CommittedOffsets committedOffsets = new CommittedOffsets();
    private volatile boolean ready;
    private KafkaProducer<String, byte[]> producer;
    /** Whether a transaction is open: one begins with the first record a batch writes. */
    private boolean inTransaction;
    /** Offsets past batches that wrote nothing, committed with the next transaction. */
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    private final AtomicLong transactions = new AtomicLong();
    private Instant nextTick = Instant.EPOCH;
    private final Queue<Submitted> submitted = new ConcurrentLinkedQueue<>();
    private final Object wakeLock = new Object();
    /** Whether the runner is inside a poll that a submission may wake; guarded by {@link #wakeLock}. */
    private boolean polling;
    /** Whether a wake-up was issued since the poll began; guarded by {@link #wakeLock}. */
    private boolean wakeIssued;

    /** A request from the API and what its caller waits on: the commit of the transaction that wrote it. */
    private record Submitted(Event request, CompletableFuture<Void> written) {}

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

    /** Transactions this runner has committed since it was created. */
    public long transactions() {
        return transactions.get();
    }

    /** True once the first assignment has been replayed and its pending inputs decided. */
    public boolean ready() {
        return ready;
    }

    @Override
    protected void beforeStart() {
        states.clear();
    }

    /** Whether the event is an input of this processor on one of its topics. */
    public boolean takes(Event request) {
        return topics.contains(Topics.of(request).name()) && isInput(request.getClass());
    }

    /**
     * Writes a request that enters the log from this service's API in the runner's next
     * transaction, decided there at once when this replica owns its partition and the processor
     * takes the decision ({@link Processor#decideOnWrite}); otherwise it is decided when read back,
     * here or by the replica that owns it. The future completes when that transaction commits, and
     * fails with it; a request whose future was cancelled before it was taken up is not written.
     */
    public CompletableFuture<Void> submit(Event request) {
        if (!takes(request)) {
            throw new IllegalArgumentException(request.getClass().getSimpleName() + " is not an input of "
                    + processor.name());
        }
        var s = new Submitted(request, new CompletableFuture<>());
        if (!running()) {
            s.written().completeExceptionally(new IllegalStateException("the service is stopping"));
            return s.written();
        }
        submitted.add(s);
        synchronized (wakeLock) {
            if (polling && !wakeIssued) {
                wakeIssued = true;
                consumer().wakeup();
            }
        }
        return s.written();
    }

    @Override
    protected KafkaConsumer<String, byte[]> newConsumer() {
        return new KafkaConsumer<>(settings.consumer(processor.name()));
    }

    @Override
    protected void work(KafkaConsumer<String, byte[]> c) {
        try (var p = new KafkaProducer<String, byte[]>(settings.producer(processor.name()))) {
            producer = p;
            inTransaction = false;
            committedOffsets.clear();
            uncommitted.clear();
            p.initTransactions();
            c.subscribe(topics, new Rebalance());
            while (running()) {
                List<ConsumerRecord<String, byte[]>> records = poll(c);
                List<Submitted> requests = new ArrayList<>();
                for (Submitted s; (s = submitted.poll()) != null;) {
                    if (!s.written().isDone()) {
                        requests.add(s);
                    }
                }
                if (!records.isEmpty() || !requests.isEmpty()) {
                    decideAndWrite(records, requests);
                } else if (!uncommitted.isEmpty()) {
                    commitUncommitted();
                }
                tickIfDue();
            }
        } finally {
            producer = null;
            if (!running()) {
                submitted.forEach(s -> s.written().completeExceptionally(new IllegalStateException("the service is stopping")));
            }
        }
    }

    /**
     * Polls for up to 100 ms, or until a submission wakes it, or not at all while submissions wait.
     * A wake-up issued after the poll returned is still pending in the consumer: it is absorbed by
     * one more poll that does not wait, whose records are kept.
     */
    private List<ConsumerRecord<String, byte[]>> poll(KafkaConsumer<String, byte[]> c) {
        boolean wait;
        synchronized (wakeLock) {
            wait = submitted.isEmpty();
            polling = wait;
        }
        List<ConsumerRecord<String, byte[]>> list = new ArrayList<>();
        boolean woken = false;
        try {
            c.poll(wait ? Duration.ofMillis(100) : Duration.ZERO).forEach(list::add);
        } catch (WakeupException e) {
            if (!running()) {
                throw e;
            }
            woken = true;
        }
        boolean pending;
        synchronized (wakeLock) {
            polling = false;
            pending = wakeIssued && !woken;
            wakeIssued = false;
        }
        if (pending) {
            try {
                c.poll(Duration.ZERO).forEach(list::add);
            } catch (WakeupException e) {
                if (!running()) {
                    throw e;
                }
            }
        }
        return list;
    }

    /**
     * Decides every input among the records and writes the submitted requests in one transaction,
     * committing offsets past all the records; the requests' callers learn the outcome.
     */
    private void decideAndWrite(List<ConsumerRecord<String, byte[]>> records, List<Submitted> requests) {
        try {
            decideAll(records, requests.stream().map(Submitted::request).toList());
        } catch (RuntimeException e) {
            requests.forEach(s -> s.written().completeExceptionally(e));
            throw e;
        }
        requests.forEach(s -> s.written().complete(null));
    }

    private void decideAll(List<ConsumerRecord<String, byte[]>> records, Collection<Event> requests) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        try {
            Instant now = clock.instant();
            for (Event request : requests) {
                writeInput(request, now);
            }
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
                    deadLetter(r, e);
                    continue;
                }
                emit(r.partition(), state, outputs, now);
                emit(r.partition(), state, processor.settle(state, now), now);
            }
            if (!requests.isEmpty()) {
                // decisions taken at once rest on owning the partitions: the group's generation,
                // sent with the offsets, fences a replica that lost them
                positions().forEach((tp, at) -> offsets.merge(tp, at, ProcessorRunner::further));
            }
            if (inTransaction || !requests.isEmpty()) {
                commit(offsets);
            } else {
                offsets.forEach((tp, at) -> uncommitted.merge(tp, at, ProcessorRunner::further));
            }
        } catch (RuntimeException e) {
            abortQuietly();
            throw e;
        }
    }

    private static OffsetAndMetadata further(OffsetAndMetadata a, OffsetAndMetadata b) {
        return a.offset() >= b.offset() ? a : b;
    }

    /**
     * Commits the offsets past batches that wrote nothing, in a transaction of their own, once a
     * poll found nothing new: the positions, which also step over transaction markers.
     */
    private void commitUncommitted() {
        try {
            commit(positions());
        } catch (RuntimeException e) {
            abortQuietly();
            throw e;
        }
    }

    /**
     * Sends the offsets that moved (with those of earlier batches that wrote nothing) with the
     * group's metadata and commits the transaction, opening it if nothing was written yet.
     */
    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<TopicPartition, OffsetAndMetadata> all = new HashMap<>(uncommitted);
        offsets.forEach((tp, at) -> all.merge(tp, at, ProcessorRunner::further));
        Map<TopicPartition, OffsetAndMetadata> sent = committedOffsets.toSend(all);
        begin();
        producer.sendOffsetsToTransaction(sent, consumer().groupMetadata());
        producer.commitTransaction();
        inTransaction = false;
        transactions.incrementAndGet();
        committedOffsets.committed(sent);
        uncommitted.clear();
    }

    private void begin() {
        if (!inTransaction) {
            producer.beginTransaction();
            inTransaction = true;
        }
    }

    /** Sends a record in the open transaction, opening one if none is. */
    private void send(ProducerRecord<String, byte[]> record) {
        begin();
        producer.send(record);
    }

    /** A record that could not be read or decided goes to the dead letters; the offset past it commits with the batch. */
    private void deadLetter(ConsumerRecord<String, byte[]> r, RuntimeException reason) {
        deadLetters.send(processor.name(), r, reason);
        begin();
    }

    /** Where the consumer stands in every assigned partition: past every record it returned. */
    private Map<TopicPartition, OffsetAndMetadata> positions() {
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        for (TopicPartition tp : consumer().assignment()) {
            positions.put(tp, new OffsetAndMetadata(consumer().position(tp)));
        }
        return positions;
    }

    private void tickIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextTick) || states.isEmpty()) {
            return;
        }
        nextTick = now.plus(processor.tickInterval());
        try {
            for (var e : states.entrySet()) {
                emit(e.getKey(), e.getValue(), processor.tick(e.getValue(), now), now);
                emit(e.getKey(), e.getValue(), processor.settle(e.getValue(), now), now);
            }
            commit(positions());
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
                send(record);
            } else if (!isInput(out.getClass())) {
                if (Partitions.of(out.aggregateId()) != partition) {
                    throw new IllegalStateException(out.getClass().getSimpleName() + " keyed by "
                            + out.aggregateId() + " leaves the partition that decided it");
                }
                send(record);
                processor.evolve(state, out);
            } else {
                writeInput(out, now);
            }
        }
    }

    /**
     * Writes an input inside the open transaction, offered first to {@link Processor#decideOnWrite}
     * when its partition is owned here; if decided, it is marked as such and followed by its
     * decision's outputs.
     */
    private void writeInput(Event input, Instant now) {
        var record = EventPublisher.record(settings, input);
        int target = Partitions.of(input.aggregateId());
        S owner = states.get(target);
        List<Event> decided = owner == null ? null : processor.decideOnWrite(owner, input, now);
        if (decided != null) {
            record.headers().add(DECIDED_HEADER, new byte[] {1});
        }
        send(record);
        if (decided != null) {
            emit(target, owner, decided, now);
            emit(target, owner, processor.settle(owner, now), now);
        }
    }

    private static boolean decidedOnWrite(ConsumerRecord<String, byte[]> r) {
        return r.headers().lastHeader(DECIDED_HEADER) != null;
    }

    private Event read(ConsumerRecord<String, byte[]> r) {
        try {
            return EventJson.read(r.value(), Topics.byName(r.topic()).orElseThrow().valueType());
        } catch (RuntimeException e) {
            deadLetter(r, e);
            return null;
        }
    }

    private void abortQuietly() {
        if (!inTransaction) {
            return;
        }
        inTransaction = false;
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
            committedOffsets.forget(partitions);
            uncommitted.keySet().removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            committedOffsets.forget(partitions);
            uncommitted.keySet().removeAll(partitions);
            Set<Integer> numbers = new HashSet<>();
            partitions.forEach(tp -> numbers.add(tp.partition()));
            Map<TopicPartition, OffsetAndMetadata> committed = committed(new HashSet<>(partitions));
            for (int p : numbers) {
                recover(p, committed);
            }
            ready = true;
        }
    }

    /** The group's committed offsets; a submission's wake-up that lands here is absorbed and the call made again. */
    private Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
        while (true) {
            try {
                return consumer().committed(partitions);
            } catch (WakeupException e) {
                if (!running()) {
                    throw e;
                }
            }
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
            decideAll(pending, List.<Event>of());
        }
        ends.forEach(consumer()::seek);
    }
}
