package io.gpumarket.kit.kafka;

import io.gpumarket.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Puts a record this service could not read or handle on its dead-letter topic
 * ({@code gpumarket.dead-letters.<service>}), with where it came from and why in headers, and
 * counts it in {@code gpumarket_dead_letters_total}. The partition it came from goes on.
 */
@ApplicationScoped
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    private final KafkaSettings settings;
    private final MeterRegistry meters;
    private KafkaProducer<String, byte[]> producer;

    public DeadLetters(KafkaSettings settings, MeterRegistry meters) {
        this.settings = settings;
        this.meters = meters;
    }

    public synchronized void send(String consumer, ConsumerRecord<String, byte[]> record, Throwable reason) {
        LOG.errorf(reason, "%s: dead-lettering %s-%d@%d", consumer, record.topic(), record.partition(),
                record.offset());
        var out = new ProducerRecord<>(Topics.deadLetters(settings.service()).name(), record.key(), record.value());
        out.headers().add("source-topic", bytes(record.topic()));
        out.headers().add("source-partition", bytes(Integer.toString(record.partition())));
        out.headers().add("source-offset", bytes(Long.toString(record.offset())));
        out.headers().add("consumer", bytes(consumer));
        out.headers().add("reason", bytes(String.valueOf(reason)));
        try {
            producer().send(out).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot dead-letter " + record.topic() + "@" + record.offset(), e);
        }
        meters.counter("gpumarket.dead.letters", "consumer", consumer, "topic", record.topic()).increment();
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> p = new HashMap<>(settings.producer("dead-letters"));
            p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
