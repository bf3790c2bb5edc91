package io.gpumarket.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The floor of one hop as gpumarket's services make it: a record produced in its own Kafka
 * transaction (acks=all, idempotent, linger 1 ms, as the services' producers) and read back by a
 * {@code read_committed} consumer, one at a time, timed from the transaction's start to the record's
 * arrival. Kafka's end-to-end latency tool times the same without a transaction; the difference is
 * what the commit (the coordinator's log writes and the markers that make the record visible) adds.
 */
final class TransactionalHop {
    private TransactionalHop() {}

    static Map<String, Object> run(String bootstrap, int records, int recordBytes) throws Exception {
        String topic = "gpumarket.bench-transactional-hop";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all().get();
        }
        Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1, ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-hop-" + UUID.randomUUID(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        Map<String, Object> consumerConfig = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Latencies hop = new Latencies();
        byte[] value = new byte[recordBytes];
        TopicPartition tp = new TopicPartition(topic, 0);
        try (var producer = new KafkaProducer<byte[], byte[]>(producerConfig);
                var consumer = new KafkaConsumer<byte[], byte[]>(consumerConfig)) {
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            consumer.position(tp);
            producer.initTransactions();
            for (int i = 0; i < records; i++) {
                long start = System.nanoTime();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, value));
                producer.commitTransaction();
                int seen = 0;
                while (seen == 0) {
                    seen = consumer.poll(Duration.ofSeconds(5)).count();
                    if (seen == 0 && System.nanoTime() - start > Duration.ofSeconds(30).toNanos()) {
                        throw new IllegalStateException("a committed record was not read back within 30 s");
                    }
                }
                hop.add(System.nanoTime() - start);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("records", records);
        out.put("recordBytes", recordBytes);
        out.putAll(hop.percentiles());
        return out;
    }
}
