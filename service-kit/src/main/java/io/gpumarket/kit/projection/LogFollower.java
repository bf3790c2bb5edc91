package io.gpumarket.kit.projection;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.kit.kafka.ConsumerWorker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What every projection runner knows of its progress: the next offset it will apply in each
 * partition it reads, and the log end it saw when it started, so readiness can say when it has
 * caught up and an API call can wait until a record it wrote has been applied.
 */
abstract class LogFollower extends ConsumerWorker {
    private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();
    private volatile Map<TopicPartition, Long> logEndAtStart = Map.of();
    private volatile boolean positioned;
    private final String name;
    private final List<TopicSpec<? extends Event>> topics;

    LogFollower(String threadName, String name, List<TopicSpec<? extends Event>> topics) {
        super(threadName);
        this.name = name;
        this.topics = List.copyOf(topics);
    }

    final String name() {
        return name;
    }

    final List<TopicSpec<? extends Event>> topics() {
        return topics;
    }

    /** A digest of projection {@code projection}'s state (one this runner runs). */
    abstract String digest(String projection);

    /** Empties projection {@code projection}'s state, so the next start replays its log from offset 0. */
    abstract void reset(String projection);

    boolean reads(String topic) {
        return topics().stream().anyMatch(t -> t.name().equals(topic));
    }

    @Override
    protected void beforeStart() {
        positioned = false;
        applied.clear();
    }

    /** True once every partition read here has reached the log end seen when the runner started. */
    boolean caughtUp() {
        if (!positioned) {
            return false;
        }
        for (var e : logEndAtStart.entrySet()) {
            Long at = applied.get(e.getKey());
            if (at != null && at < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The next offset this runner will apply in a partition it reads, or -1. */
    long appliedUpTo(TopicPartition tp) {
        return applied.getOrDefault(tp, -1L);
    }

    /** Notes the log end of every partition of the topics; call before the first poll. */
    protected final void noteLogEnd(KafkaConsumer<String, byte[]> c) {
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (var topic : topics()) {
            for (var info : c.partitionsFor(topic.name())) {
                ends.put(new TopicPartition(topic.name(), info.partition()), null);
            }
        }
        logEndAtStart = Map.copyOf(c.endOffsets(ends.keySet()));
    }

    protected final List<TopicPartition> allPartitions() {
        return List.copyOf(logEndAtStart.keySet());
    }

    protected final void positioned(Map<TopicPartition, Long> next) {
        applied.putAll(next);
        positioned = true;
    }

    protected final void applied(Map<TopicPartition, Long> next) {
        applied.putAll(next);
    }

    protected final void revoked(java.util.Collection<TopicPartition> partitions) {
        partitions.forEach(applied::remove);
    }

    /**
     * Everything before the consumer's position is applied; the position also steps over
     * transaction markers, which are never returned as records but count toward the log end.
     */
    protected final void appliedUpToPosition(KafkaConsumer<String, byte[]> c) {
        for (TopicPartition tp : c.assignment()) {
            applied.put(tp, c.position(tp));
        }
    }
}
