package io.gpumarket.events;

import java.util.Map;

/**
 * One topic of the registry: its name, the type of its values (a sealed event interface, or raw
 * bytes for dead letters), the one service that writes it, and how long it keeps records
 * ({@code retentionMs = -1}: forever, never compacted). Keys are always the aggregate id as a
 * UTF-8 string.
 */
public record TopicSpec<V>(String name, Class<V> valueType, Service writer, long retentionMs, int partitions) {

    public static final long FOREVER = -1L;

    /** The topic-level configs the topic is created with. */
    public Map<String, String> configs() {
        return Map.of("retention.ms", Long.toString(retentionMs), "cleanup.policy", "delete");
    }
}
