package io.gpumarket.kit.projection;

import io.gpumarket.events.Event;
import io.gpumarket.events.Topics;
import io.gpumarket.events.serde.EventJson;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.kit.kafka.DeadLetters;
import io.gpumarket.kit.kafka.KafkaSettings;
import io.gpumarket.kit.kafka.RecordFilter;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Runs this service's database {@link Projection}s on one consumer: it reads the union of their
 * topics in one consumer group, and for each polled batch applies each projection's records and
 * stores every projection's next offsets in one database transaction (the KafkaConsumer "storing
 * offsets outside Kafka" pattern: Kafka's own committed offsets are never used). Each projection
 * keeps its own offsets; on assignment the consumer seeks to the lowest of them and a projection
 * is handed only the records at or past its own, so one rebuilt from offset 0 replays while the
 * others pass over what they already hold. A record that cannot be read or applied is retried
 * alone, then dead-lettered under the projection's name, and the partition goes on. Records of
 * types no projection reads are passed over unparsed ({@link RecordFilter}); a batch of only those
 * opens no transaction, and the offsets past them are stored with the next batch that writes (or
 * within {@value #UNSAVED_OFFSETS_AT_MOST_SECONDS} s), so a restart reads them again and passes
 * them over again.
 */
final class ProjectionRunner extends LogFollower {
    private static final Logger LOG = Logger.getLogger(ProjectionRunner.class);
    private static final int ATTEMPTS_BEFORE_DEAD_LETTER = 3;
    private static final long UNSAVED_OFFSETS_AT_MOST_SECONDS = 10;

    private final List<Member> members;
    private final Map<String, Member> byName = new LinkedHashMap<>();
    private final KafkaSettings settings;
    private final OffsetStore offsets;
    private final DeadLetters deadLetters;
    private long savedAtNanos;

    ProjectionRunner(String name, List<Projection> projections, KafkaSettings settings, OffsetStore offsets,
            DeadLetters deadLetters) {
        super(name, name, unionOfTopics(projections));
        this.members = projections.stream().map(Member::new).toList();
        members.forEach(m -> byName.put(m.projection.name(), m));
        this.settings = settings;
        this.offsets = offsets;
        this.deadLetters = deadLetters;
    }

    private static List<TopicSpec<? extends Event>> unionOfTopics(List<Projection> projections) {
        Set<TopicSpec<? extends Event>> all = new LinkedHashSet<>();
        projections.forEach(p -> all.addAll(p.topics()));
        return List.copyOf(all);
    }

    @Override
    String digest(String projection) {
        return QuarkusTransaction.requiringNew().call(() -> offsets.digest(byName.get(projection).projection.tables()));
    }

    @Override
    void reset(String projection) {
        Projection p = byName.get(projection).projection;
        QuarkusTransaction.requiringNew().run(() -> offsets.reset(p.name(), p.tables()));
    }

    @Override
    protected KafkaConsumer<String, byte[]> newConsumer() {
        int maxPollRecords = members.stream().mapToInt(m -> m.projection.maxPollRecords()).max().orElse(500);
        var config = settings.consumer(name());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        // a fetch large enough to fill a poll: about 1 KiB per record, spread over the partitions
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Math.max(1 << 20, maxPollRecords * 1024 / Topics.PARTITIONS));
        return new KafkaConsumer<>(config);
    }

    @Override
    protected void work(KafkaConsumer<String, byte[]> c) {
        members.forEach(Member::forget);
        savedAtNanos = System.nanoTime();
        noteLogEnd(c);
        c.subscribe(topics().stream().map(TopicSpec::name).toList(), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                members.forEach(m -> m.forget(partitions));
                revoked(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                positioned(seekToLowestStored(c, partitions));
            }
        });
        while (running()) {
            ConsumerRecords<String, byte[]> batch = c.poll(Duration.ofMillis(200));
            if (!batch.isEmpty()) {
                applyBatch(batch);
            }
            appliedUpToPosition(c);
        }
    }

    /** Loads every projection's stored offsets and seeks each partition to the lowest of those that read it. */
    private Map<TopicPartition, Long> seekToLowestStored(KafkaConsumer<String, byte[]> c,
            Collection<TopicPartition> partitions) {
        Map<String, Map<TopicPartition, Long>> stored = QuarkusTransaction.requiringNew().call(() -> {
            Map<String, Map<TopicPartition, Long>> all = new HashMap<>();
            members.forEach(m -> all.put(m.projection.name(), offsets.load(m.projection.name())));
            return all;
        });
        Map<TopicPartition, Long> seekTo = new HashMap<>();
        for (TopicPartition tp : partitions) {
            for (Member m : members) {
                if (m.topics.contains(tp.topic())) {
                    long next = stored.get(m.projection.name()).getOrDefault(tp, 0L);
                    m.next.put(tp, next);
                    seekTo.merge(tp, next, Math::min);
                }
            }
            c.seek(tp, seekTo.get(tp));
        }
        return seekTo;
    }

    private void applyBatch(ConsumerRecords<String, byte[]> batch) {
        Map<TopicPartition, Long> batchNext = new HashMap<>();
        Map<Member, List<ConsumerRecord<String, byte[]>>> kept = new LinkedHashMap<>();
        for (var r : batch) {
            batchNext.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
            for (Member m : members) {
                if (m.keeps(r)) {
                    kept.computeIfAbsent(m, x -> new ArrayList<>()).add(r);
                }
            }
        }
        if (kept.isEmpty()) {
            members.forEach(m -> m.advance(batchNext));
            if (System.nanoTime() - savedAtNanos > TimeUnit.SECONDS.toNanos(UNSAVED_OFFSETS_AT_MOST_SECONDS)) {
                QuarkusTransaction.requiringNew().run(this::saveUnsaved);
                markSaved();
            }
            applied(batchNext);
            return;
        }
        Map<Member, List<Event>> events = new LinkedHashMap<>();
        // a record several projections read is parsed once
        Map<ConsumerRecord<String, byte[]>, Projection.Positioned> parsed = new IdentityHashMap<>();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                events.clear();
                for (var e : kept.entrySet()) {
                    List<Projection.Positioned> read = new ArrayList<>();
                    for (var r : e.getValue()) {
                        read.add(parsed.computeIfAbsent(r, ProjectionRunner::read));
                    }
                    e.getKey().projection.applyAll(read);
                    events.put(e.getKey(), read.stream().map(Projection.Positioned::event).toList());
                }
                Map<String, Map<TopicPartition, Long>> toSave = new HashMap<>();
                for (Member m : members) {
                    toSave.put(m.projection.name(), m.unsavedWith(batchNext));
                }
                offsets.save(toSave);
            });
        } catch (RuntimeException batchFailure) {
            LOG.warnf("projections %s: batch failed (%s); applying its records one by one", name(),
                    batchFailure.toString());
            applyOneByOne(batch);
            applied(batchNext);
            return;
        }
        members.forEach(m -> m.advance(batchNext));
        markSaved();
        applied(batchNext);
        events.forEach((m, list) -> m.projection.committed(list));
    }

    private void applyOneByOne(ConsumerRecords<String, byte[]> batch) {
        for (var r : batch) {
            var tp = new TopicPartition(r.topic(), r.partition());
            for (Member m : members) {
                if (m.keeps(r)) {
                    applyAloneOrDeadLetter(m, r);
                }
                m.advance(Map.of(tp, r.offset() + 1));
            }
        }
    }

    private void saveUnsaved() {
        Map<String, Map<TopicPartition, Long>> toSave = new HashMap<>();
        members.forEach(m -> toSave.put(m.projection.name(), m.unsaved));
        offsets.save(toSave);
    }

    private void markSaved() {
        members.forEach(m -> m.unsaved.clear());
        savedAtNanos = System.nanoTime();
    }

    private void applyAloneOrDeadLetter(Member m, ConsumerRecord<String, byte[]> r) {
        var tp = new TopicPartition(r.topic(), r.partition());
        Map<TopicPartition, Long> next = m.unsavedWith(Map.of(tp, r.offset() + 1));
        String name = m.projection.name();
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS_BEFORE_DEAD_LETTER; attempt++) {
            try {
                Event event = QuarkusTransaction.requiringNew().call(() -> {
                    Projection.Positioned one = read(r);
                    m.projection.applyAll(List.of(one));
                    offsets.save(Map.of(name, next));
                    return one.event();
                });
                m.unsaved.clear();
                m.projection.committed(List.of(event));
                return;
            } catch (RuntimeException e) {
                last = e;
                sleep(100L * attempt);
            }
        }
        deadLetters.send(name, r, last);
        QuarkusTransaction.requiringNew().run(() -> offsets.save(Map.of(name, next)));
        m.unsaved.clear();
    }

    private static Projection.Positioned read(ConsumerRecord<String, byte[]> r) {
        var spec = Topics.byName(r.topic()).orElseThrow();
        Event event = EventJson.read(r.value(), spec.valueType());
        return new Projection.Positioned(event, new Projection.Position(r.topic(), r.partition(), r.offset()));
    }

    /**
     * One projection's progress, touched only by the runner's thread: the next offset it applies in
     * each assigned partition of its topics, and the offsets it has moved past but not stored yet.
     */
    private static final class Member {
        final Projection projection;
        final Set<String> topics = new HashSet<>();
        final RecordFilter filter;
        final Map<TopicPartition, Long> next = new HashMap<>();
        final Map<TopicPartition, Long> unsaved = new HashMap<>();

        Member(Projection projection) {
            this.projection = projection;
            projection.topics().forEach(t -> topics.add(t.name()));
            this.filter = new RecordFilter(projection.topics(), projection.eventTypes());
        }

        /** Whether this projection reads the record and does not hold it yet. */
        boolean keeps(ConsumerRecord<String, byte[]> r) {
            return topics.contains(r.topic())
                    && r.offset() >= next.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L)
                    && filter.keeps(r);
        }

        /** The unsaved offsets plus those of {@code batchNext} this projection reads and has not passed yet. */
        Map<TopicPartition, Long> unsavedWith(Map<TopicPartition, Long> batchNext) {
            Map<TopicPartition, Long> out = new HashMap<>(unsaved);
            batchNext.forEach((tp, offset) -> {
                if (movesPast(tp, offset)) {
                    out.put(tp, offset);
                }
            });
            return out;
        }

        /** Moves past the offsets of {@code batchNext} this projection reads, as not stored yet. */
        void advance(Map<TopicPartition, Long> batchNext) {
            batchNext.forEach((tp, offset) -> {
                if (movesPast(tp, offset)) {
                    unsaved.put(tp, offset);
                    next.put(tp, offset);
                }
            });
        }

        private boolean movesPast(TopicPartition tp, long offset) {
            return topics.contains(tp.topic()) && offset > next.getOrDefault(tp, 0L);
        }

        void forget() {
            next.clear();
            unsaved.clear();
        }

        void forget(Collection<TopicPartition> partitions) {
            next.keySet().removeAll(partitions);
            unsaved.keySet().removeAll(partitions);
        }
    }
}
