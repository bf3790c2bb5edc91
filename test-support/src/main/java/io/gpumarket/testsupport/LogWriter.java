package io.gpumarket.testsupport;

import io.gpumarket.events.Event;
import io.gpumarket.events.Topics;
import io.gpumarket.events.serde.EventJson;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * For a test of one service: writes events to their topics (keyed by aggregate) as the services
 * that own those topics would, so the service under test reads them from the real broker; and
 * waits, polling, for what the service should then show.
 */
public final class LogWriter {
    private LogWriter() {}

    public static void publish(String bootstrapServers, Event... events) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrapServers,
                "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (Event e : events) {
                producer.send(new ProducerRecord<>(Topics.of(e).name(), e.aggregateId(), EventJson.write(e))).get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write to the log", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
