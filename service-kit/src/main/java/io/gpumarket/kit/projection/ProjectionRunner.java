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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Runs one {@link Projection}: consumes its topics in the projection's consumer group, and for
 * each polled batch applies the events and stores the next offsets in one database transaction
 * (the KafkaConsumer "storing offsets outside Kafka" pattern: on assignment it seeks to the stored
 * offsets, Kafka's own committed offsets are never used). A record that cannot be read or applied
 * is retried alone, then dead-lettered, and the partition goes on. Records of types the projection
 * does not read are passed over unparsed ({@link RecordFilter}); a batch of only those opens no
 * transaction, and the offsets past them are stored with the next batch that writes (or within
 * {@value #UNSAVED_OFFSETS_AT_MOST_SECONDS} s), so a restart reads them again and passes them over again.
 */
final class ProjectionRunner extends LogFollower {
    private static final Logger LOG = Logger.getLogger(ProjectionRunner.class);
    private static final int ATTEMPTS_BEFORE_DEAD_LETTER = 3;
    private static final long UNSAVED_OFFSETS_AT_MOST_SECONDS = 10;

    private final Projection projection;
    private final KafkaSettings settings;
    private final OffsetStore offsets;
    private final DeadLetters deadLetters;
    private final RecordFilter filter;
    /** Next offsets past records passed over and not stored yet; only this runner's thread touches it. */
    private final Map<TopicPartition, Long> unsaved = new HashMap<>();
    private long savedAtNanos;

    ProjectionRunner(Projection projection, KafkaSettings settings, OffsetStore offsets, DeadLetters deadLetters) {
        super("projection-" + projection.name(), projection.name(), projection.topics());
        this.projection = projection;
        this.settings = settings;
        this.offsets = offsets;
        this.deadLetters = deadLetters;
        this.filter = new RecordFilter(projection.topics(), projection.eventTypes());
    }

    @Override
    String digest() {
        return QuarkusTransaction.requiringNew().call(() -> offsets.digest(projection.tables()));
    }

    @Override
    void reset() {
        QuarkusTransaction.requiringNew().run(() -> offsets.reset(projection.name(), projection.tables()));
    }

    @Override
    protected KafkaConsumer<String, byte[]> newConsumer() {
        var config = settings.consumer(projection.name());
        config.put(org.apache.kafka.clients.consumer.ConsumerConfig.MAX_POLL_RECORDS_CONFIG, projection.maxPollRecords());
        // a fetch large enough to fill a poll: about 1 KiB per record, spread over the partitions
        config.put(org.apache.kafka.clients.consumer.ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                Math.max(1 << 20, projection.maxPollRecords() * 1024 / Topics.PARTITIONS));
        return new KafkaConsumer<>(config);
    }

    @Override
    protected void work(KafkaConsumer<String, byte[]> c) {
        consume(c);
    }

    private void consume(KafkaConsumer<String, byte[]> c) {
        unsaved.clear();
        savedAtNanos = System.nanoTime();
        noteLogEnd(c);
        c.subscribe(projection.topics().stream().map(TopicSpec::name).toList(), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                unsaved.keySet().removeAll(partitions);
                revoked(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                Map<TopicPartition, Long> stored = QuarkusTransaction.requiringNew()
                        .call(() -> offsets.load(projection.name()));
                Map<TopicPartition, Long> next = new HashMap<>();
                for (TopicPartition tp : partitions) {
                    next.put(tp, stored.getOrDefault(tp, 0L));
                    c.seek(tp, next.get(tp));
                }
                positioned(next);
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

    private void applyBatch(ConsumerRecords<String, byte[]> batch) {
        Map<TopicPartition, Long> next = new HashMap<>();
        List<ConsumerRecord<String, byte[]>> kept = new ArrayList<>();
        for (var r : batch) {
            next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
            if (filter.keeps(r)) {
                kept.add(r);
            }
        }
        if (kept.isEmpty()) {
            unsaved.putAll(next);
            if (System.nanoTime() - savedAtNanos > TimeUnit.SECONDS.toNanos(UNSAVED_OFFSETS_AT_MOST_SECONDS)) {
                QuarkusTransaction.requiringNew().run(() -> offsets.save(projection.name(), unsaved));
                markSaved();
            }
            applied(next);
            return;
        }
        Map<TopicPartition, Long> toSave = new HashMap<>(unsaved);
        toSave.putAll(next);
        List<Event> events = new ArrayList<>();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                events.clear();
                List<Projection.Positioned> read = new ArrayList<>();
                for (var r : kept) {
                    read.add(read(r));
                }
                projection.applyAll(read);
                read.forEach(p -> events.add(p.event()));
                offsets.save(projection.name(), toSave);
            });
            markSaved();
            applied(next);
            projection.committed(events);
        } catch (RuntimeException batchFailure) {
            LOG.warnf("projection %s: batch failed (%s); applying its records one by one", projection.name(),
                    batchFailure.toString());
            for (var r : batch) {
                if (filter.keeps(r)) {
                    applyAloneOrDeadLetter(r);
                } else {
                    unsaved.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                }
            }
            applied(next);
        }
    }

    private void markSaved() {
        unsaved.clear();
        savedAtNanos = System.nanoTime();
    }

    private void applyAloneOrDeadLetter(ConsumerRecord<String, byte[]> r) {
        var tp = new TopicPartition(r.topic(), r.partition());
        Map<TopicPartition, Long> next = new HashMap<>(unsaved);
        next.put(tp, r.offset() + 1);
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS_BEFORE_DEAD_LETTER; attempt++) {
            try {
                Event event = QuarkusTransaction.requiringNew().call(() -> {
                    Projection.Positioned one = read(r);
                    projection.applyAll(List.of(one));
                    offsets.save(projection.name(), next);
                    return one.event();
                });
                markSaved();
                applied(Map.of(tp, r.offset() + 1));
                projection.committed(List.of(event));
                return;
            } catch (RuntimeException e) {
                last = e;
                sleep(100L * attempt);
            }
        }
        deadLetters.send(projection.name(), r, last);
        QuarkusTransaction.requiringNew().run(() -> offsets.save(projection.name(), next));
        markSaved();
        applied(Map.of(tp, r.offset() + 1));
    }

    private static Projection.Positioned read(ConsumerRecord<String, byte[]> r) {
        var spec = Topics.byName(r.topic()).orElseThrow();
        Event event = EventJson.read(r.value(), spec.valueType());
        return new Projection.Positioned(event, new Projection.Position(r.topic(), r.partition(), r.offset()));
    }
}
