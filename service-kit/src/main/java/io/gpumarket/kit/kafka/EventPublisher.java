package io.gpumarket.kit.kafka;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.serde.EventJson;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Writes events that enter the log from this service's API (requests, registrations, deposits):
 * several events in one Kafka transaction, all or nothing, each keyed by its aggregate id. Refuses
 * to write a topic this service is not the registered writer of.
 */
@ApplicationScoped
public class EventPublisher {
    private final KafkaSettings settings;
    private KafkaProducer<String, byte[]> producer;

    public EventPublisher(KafkaSettings settings) {
        this.settings = settings;
    }

    public RecordMetadata publish(Event event) {
        return publish(List.of(event)).get(0);
    }

    /** Publishes the events atomically; returns where each landed once the transaction committed. */
    public synchronized List<RecordMetadata> publish(List<? extends Event> events) {
        KafkaProducer<String, byte[]> p = producer();
        try {
            p.beginTransaction();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Event e : events) {
                sent.add(p.send(record(settings, e)));
            }
            p.commitTransaction();
            List<RecordMetadata> out = new ArrayList<>();
            for (var f : sent) {
                out.add(f.get());
            }
            return out;
        } catch (KafkaException e) {
            resetProducer();
            throw new IllegalStateException("could not write to the log: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            resetProducer();
            throw new IllegalStateException("could not write to the log", e.getCause());
        }
    }

    /** The record for an event: the registry's topic, the aggregate id as key, checked for ownership. */
    public static ProducerRecord<String, byte[]> record(KafkaSettings settings, Event event) {
        TopicSpec<?> topic = Topics.of(event);
        if (topic.writer() != settings.service()) {
            throw new IllegalStateException(settings.service() + " may not write " + topic.name()
                    + " (its writer is " + topic.writer() + ")");
        }
        return new ProducerRecord<>(topic.name(), event.aggregateId(), EventJson.write(event));
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(settings.producer("api"));
            producer.initTransactions();
        }
        return producer;
    }

    private void resetProducer() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(1));
            producer = null;
        }
    }

    @PreDestroy
    synchronized void close() {
        resetProducer();
    }
}
