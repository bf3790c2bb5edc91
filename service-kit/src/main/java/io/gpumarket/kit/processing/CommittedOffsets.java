package io.gpumarket.kit.processing;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer group offsets a {@link ProcessorRunner}'s transactions have committed, per partition,
 * so that a transaction sends only the offsets that moved. Every offset sent is a record the group
 * coordinator appends to {@code __consumer_offsets} (and a marker when the transaction ends):
 * rental-service's processor reads 48 partitions, and sending all their positions with every
 * transaction made {@code __consumer_offsets} the topic the broker wrote most. An unchanged offset is never needed for
 * progress; one offset is always sent when there are any, because the offsets carry the group's
 * generation that fences a replica which lost its partitions.
 */
final class CommittedOffsets {
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    /**
     * The offsets among {@code next} that differ from the committed ones; when none does, one of
     * them (so the transaction is still checked against the group's generation).
     */
    Map<TopicPartition, OffsetAndMetadata> toSend(Map<TopicPartition, OffsetAndMetadata> next) {
        Map<TopicPartition, OffsetAndMetadata> moved = new HashMap<>();
        next.forEach((tp, at) -> {
            Long before = committed.get(tp);
            if (before == null || before != at.offset()) {
                moved.put(tp, at);
            }
        });
        if (moved.isEmpty() && !next.isEmpty()) {
            var any = next.entrySet().iterator().next();
            moved.put(any.getKey(), any.getValue());
        }
        return moved;
    }

    /** The transaction that sent {@code sent} committed. */
    void committed(Map<TopicPartition, OffsetAndMetadata> sent) {
        sent.forEach((tp, at) -> committed.put(tp, at.offset()));
    }

    /** Partitions assigned or revoked: their group offsets may move elsewhere, so they are sent again. */
    void forget(Collection<TopicPartition> partitions) {
        committed.keySet().removeAll(partitions);
    }

    void clear() {
        committed.clear();
    }
}
