package io.gpumarket.kit.kafka;

import io.gpumarket.events.Service;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Client settings for this service: where the broker is ({@code kafka.bootstrap.servers}) and
 * which service this is ({@code gpumarket.service}). Consumers read committed records only and
 * never auto-commit; producers are idempotent; values travel as bytes and are read as events by
 * the runners, so an unreadable record can be dead-lettered instead of stopping a partition.
 */
@ApplicationScoped
public class KafkaSettings {
    private final String bootstrapServers;
    private final Service service;
    private final String instanceId = UUID.randomUUID().toString().substring(0, 8);

    public KafkaSettings(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "gpumarket.service") String service) {
        this.bootstrapServers = bootstrapServers;
        this.service = Service.valueOf(service.toUpperCase(java.util.Locale.ROOT));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Service service() {
        return service;
    }

    /** Distinguishes this process from other replicas of the same service. */
    public String instanceId() {
        return instanceId;
    }

    public Map<String, Object> consumer(String groupId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-" + instanceId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        return p;
    }

    /**
     * A consumer that belongs to no group: it is assigned partitions explicitly. Its fetches wait
     * at the broker for as long as the default allows: the broker answers as soon as a record
     * becomes visible (a write, or a transaction's commit marker), so a shorter wait adds no
     * freshness, only empty round trips.
     */
    public Map<String, Object> reader() {
        Map<String, Object> p = consumer("unused");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, service.artifact() + "-reader-" + UUID.randomUUID());
        return p;
    }

    public Map<String, Object> producer(String transactionalId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, service.artifact() + "-" + instanceId + "-" + transactionalId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, service.artifact() + "-" + transactionalId + "-" + instanceId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // a transaction that starts while the previous one's markers are still being written is told
        // CONCURRENT_TRANSACTIONS and retried: within milliseconds, not after the default backoff
        // that grows to a second
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 5);
        p.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 50);
        // each replica has its own transactional id: a transaction a killed replica left open holds
        // back read_committed readers of its partitions until the broker aborts it. Ours last
        // milliseconds, so the broker may abort after 10 s instead of the default minute
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
        return p;
    }

    /**
     * An idempotent producer without transactions, for records that stand alone: lingering
     * {@code lingerMs} to fill larger batches (heartbeats), or none when a decision waits on the
     * record (an agent's report).
     */
    public Map<String, Object> streamProducer(String name, int lingerMs) {
        Map<String, Object> p = producer(name);
        p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return p;
    }

    public Map<String, Object> admin() {
        return Map.of("bootstrap.servers", bootstrapServers);
    }
}
