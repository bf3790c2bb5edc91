package io.gpumarket.kit.kafka;

import io.gpumarket.events.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/** Which partition a key lands in: the default partitioner's murmur2 hash, as producers compute it. */
public final class Partitions {
    private Partitions() {}

    public static int of(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % Topics.PARTITIONS;
    }
}
