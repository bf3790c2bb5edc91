package io.gpumarket.testsupport;

import io.gpumarket.events.Event;
import io.gpumarket.events.Topics;
import io.gpumarket.events.serde.EventJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * For tests and benchmarks on a real broker: writes events to their topics (keyed by aggregate) as
 * the services that own those topics would, reads a topic back in full, and waits, polling, for
 * what a service should then show.
 */
public final class LogWriter {
    private LogWriter() {}

    /** Writes the events in order (per key: the producer is idempotent) and returns once all are acknowledged. */
    public static void publish(String bootstrapServers, Event... events) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrapServers,
                "acks", "all", "enable.idempotence", true, "linger.ms", 5), new StringSerializer(),
                new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
            for (Event e : events) {
                var record = new ProducerRecord<>(Topics.of(e).name(), e.aggregateId(), EventJson.write(e));
                record.headers().add(EventJson.TYPE_HEADER, EventJson.typeHeader(e));
                sent.add(producer.send(record));
            }
            for (var f : sent) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write to the log", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every committed event of a topic, from offset 0 to the end it has now, in each partition's order. */
    public static List<Event> readAll(String bootstrapServers, String topic) {
        var spec = Topics.byName(topic).orElseThrow();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrapServers,
                "isolation.level", "read_committed", "max.poll.records", 5000), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            var end = consumer.endOffsets(tps);
            List<Event> out = new ArrayList<>();
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(EventJson.read(r.value(), spec.valueType())));
            }
            return out;
        }
    }

    /** Polls every 20 ms until the condition holds; fails with {@code what} after the timeout. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
