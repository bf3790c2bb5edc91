package io.gpumarket.kit.kafka;

import io.gpumarket.events.Event;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes events that stand alone without a transaction: each call returns at once and its future
 * completes when the broker has the record (acks=all, idempotent, so a retry never duplicates it),
 * which is when the sender may be told it is safe. High-rate streams (heartbeats) linger a few
 * milliseconds to share batches; records a decision waits on (an agent's report) go out at once on
 * a producer of their own, in the order they were published. Ownership of the topic is checked as
 * for {@link EventPublisher}.
 */
@ApplicationScoped
public class StreamPublisher {
    private static final int BATCHED_LINGER_MS = 5;

    private final KafkaSettings settings;
    private final LazyProducer batched;
    private final LazyProducer prompt;

    public StreamPublisher(KafkaSettings settings) {
        this.settings = settings;
        this.batched = new LazyProducer(settings.streamProducer("stream", BATCHED_LINGER_MS));
        this.prompt = new LazyProducer(settings.streamProducer("prompt", 0));
    }

    /** Publishes a record of a high-rate stream, which may wait a few milliseconds to share a batch. */
    public CompletableFuture<RecordMetadata> publish(Event event) {
        return send(batched.get(), event);
    }

    /** Publishes a record something waits on without lingering. */
    public CompletableFuture<RecordMetadata> publishPromptly(Event event) {
        return send(prompt.get(), event);
    }

    private CompletableFuture<RecordMetadata> send(KafkaProducer<String, byte[]> producer, Event event) {
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        try {
            producer.send(EventPublisher.record(settings, event), (metadata, error) -> {
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

    @PreDestroy
    void close() {
        batched.close();
        prompt.close();
    }

    /** A producer made on first use from its settings, closed when the service stops. */
    private static final class LazyProducer {
        private final Map<String, Object> config;
        private KafkaProducer<String, byte[]> producer;

        LazyProducer(Map<String, Object> config) {
            this.config = config;
        }

        synchronized KafkaProducer<String, byte[]> get() {
            if (producer == null) {
                producer = new KafkaProducer<>(config);
            }
            return producer;
        }

        synchronized void close() {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
                producer = null;
            }
        }
    }
}
