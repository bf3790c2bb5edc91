package io.gpumarket.kit.projection;

import io.gpumarket.events.Topics;
import io.gpumarket.events.serde.EventJson;
import io.gpumarket.kit.kafka.KafkaSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Runs one {@link MemoryProjection}: outside any consumer group, it assigns itself every partition
 * of the projection's topics and replays them from offset 0 after a {@link MemoryProjection#reset},
 * at each start. A record that cannot be read or applied is logged and skipped (every replica
 * would meet it again at each start, so it is not dead-lettered here).
 */
final class MemoryProjectionRunner extends LogFollower {
    private static final Logger LOG = Logger.getLogger(MemoryProjectionRunner.class);

    private final MemoryProjection projection;
    private final KafkaSettings settings;

    MemoryProjectionRunner(MemoryProjection projection, KafkaSettings settings) {
        super("memory-projection-" + projection.name(), projection.name(), projection.topics());
        this.projection = projection;
        this.settings = settings;
    }

    @Override
    String digest(String name) {
        return projection.digest();
    }

    @Override
    void reset(String name) {
        // the state is forgotten at every start
    }

    @Override
    protected void beforeStart() {
        super.beforeStart();
        projection.reset();
    }

    @Override
    protected KafkaConsumer<String, byte[]> newConsumer() {
        return new KafkaConsumer<>(settings.reader());
    }

    @Override
    protected void work(KafkaConsumer<String, byte[]> c) {
        noteLogEnd(c);
        List<TopicPartition> partitions = allPartitions();
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> start = new HashMap<>();
        for (TopicPartition tp : partitions) {
            start.put(tp, c.position(tp));
        }
        positioned(start);
        while (running()) {
            ConsumerRecords<String, byte[]> batch = c.poll(Duration.ofMillis(200));
            for (var r : batch) {
                try {
                    var spec = Topics.byName(r.topic()).orElseThrow();
                    projection.apply(EventJson.read(r.value(), spec.valueType()));
                } catch (RuntimeException e) {
                    LOG.errorf(e, "memory projection %s: skipped %s-%d@%d", projection.name(), r.topic(),
                            r.partition(), r.offset());
                }
            }
            appliedUpToPosition(c);
        }
    }
}
