package io.gpumarket.kit.kafka;

import io.gpumarket.events.Event;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes high-rate events that stand alone (heartbeats) without a transaction: each call returns
 * at once and its future completes when the broker has the record (acks=all, idempotent, so a
 * retry never duplicates it), which is when the sender may be told it is safe. Ownership of the
 * topic is checked as for {@link EventPublisher}.
 */
@ApplicationScoped
public class StreamPublisher {
    private final KafkaSettings settings;
    private volatile KafkaProducer<String, byte[]> producer;

    public StreamPublisher(KafkaSettings settings) {
        this.settings = settings;
    }

    public CompletableFuture<RecordMetadata> publish(Event event) {
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        try {
            producer().send(EventPublisher.record(settings, event), (metadata, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                } else {
                    done.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    private KafkaProducer<String, byte[]> producer() {
        KafkaProducer<String, byte[]> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = new KafkaProducer<>(settings.streamProducer("stream"));
                }
                p = producer;
            }
        }
        return p;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
