package io.gpumarket.kit.kafka;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.serde.EventJson;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

/**
 * Writes events that enter the log from this service's API (requests, registrations, deposits):
 * each call's events in one Kafka transaction, all or nothing, each keyed by its aggregate id.
 * Calls that arrive while a transaction is committing wait and share the next one (group commit),
 * so concurrent requests are not limited to one commit round trip each; a failed transaction fails
 * every call in it and writes none of their events. Refuses to write a topic this service is not
 * the registered writer of.
 */
@ApplicationScoped
public class EventPublisher {
    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    private static final int MAX_CALLS_PER_TRANSACTION = 500;
    private static final long CALL_TIMEOUT_SECONDS = 30;

    private record Call(List<ProducerRecord<String, byte[]>> records, CompletableFuture<List<RecordMetadata>> done) {}

    private final KafkaSettings settings;
    private final LinkedBlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private KafkaProducer<String, byte[]> producer;
    private Thread writer;
    private volatile boolean closed;

    public EventPublisher(KafkaSettings settings) {
        this.settings = settings;
    }

    public RecordMetadata publish(Event event) {
        return publish(List.of(event)).get(0);
    }

    /** Publishes the events atomically; returns where each landed once their transaction committed. */
    public List<RecordMetadata> publish(List<? extends Event> events) {
        return awaitWritten(enqueue(events));
    }

    /**
     * Waits, as an API call does, for a write to the log to commit: at most
     * {@value #CALL_TIMEOUT_SECONDS} s (then it is cancelled); a failed write is an
     * {@link IllegalStateException}.
     */
    public static <T> T awaitWritten(CompletableFuture<T> written) {
        try {
            return written.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write to the log: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            written.cancel(false);
            throw new IllegalStateException("could not write to the log within " + CALL_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Queues the events for the next transaction; the future completes with where each landed once
     * that transaction committed, or fails with the transaction. Calls queued one after another are
     * written in that order.
     */
    private CompletableFuture<List<RecordMetadata>> enqueue(List<? extends Event> events) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (Event e : events) {
            records.add(record(settings, e));
        }
        Call call = new Call(records, new CompletableFuture<>());
        startWriter();
        calls.add(call);
        return call.done();
    }

    /**
     * The record for an event: the registry's topic, the aggregate id as key, the type header,
     * checked for ownership.
     */
    public static ProducerRecord<String, byte[]> record(KafkaSettings settings, Event event) {
        TopicSpec<?> topic = Topics.of(event);
        if (topic.writer() != settings.service()) {
            throw new IllegalStateException(settings.service() + " may not write " + topic.name()
                    + " (its writer is " + topic.writer() + ")");
        }
        var record = new ProducerRecord<>(topic.name(), event.aggregateId(), EventJson.write(event));
        record.headers().add(EventJson.TYPE_HEADER, EventJson.typeHeader(event));
        return record;
    }

    private synchronized void startWriter() {
        if (closed) {
            throw new IllegalStateException("the service is stopping");
        }
        if (writer == null) {
            writer = new Thread(this::writeLoop, "event-publisher");
            writer.setDaemon(true);
            writer.start();
        }
    }

    private void writeLoop() {
        while (!closed) {
            List<Call> batch = new ArrayList<>();
            try {
                Call first = calls.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                calls.drainTo(batch, MAX_CALLS_PER_TRANSACTION - 1);
            } catch (InterruptedException e) {
                return;
            }
            commit(batch);
        }
    }

    private void commit(List<Call> batch) {
        try {
            KafkaProducer<String, byte[]> p = producer();
            p.beginTransaction();
            List<List<Future<RecordMetadata>>> sent = new ArrayList<>();
            for (Call c : batch) {
                List<Future<RecordMetadata>> mine = new ArrayList<>();
                c.records().forEach(r -> mine.add(p.send(r)));
                sent.add(mine);
            }
            p.commitTransaction();
            for (int i = 0; i < batch.size(); i++) {
                List<RecordMetadata> out = new ArrayList<>();
                for (var f : sent.get(i)) {
                    out.add(f.get());
                }
                batch.get(i).done().complete(out);
            }
        } catch (KafkaException | ExecutionException e) {
            LOG.warnf("a transaction of %d API calls failed: %s", batch.size(), e.toString());
            resetProducer();
            batch.forEach(c -> c.done().completeExceptionally(e instanceof ExecutionException x ? x.getCause() : e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            batch.forEach(c -> c.done().completeExceptionally(e));
        }
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
    void close() {
        Thread w;
        synchronized (this) {
            closed = true;
            w = writer;
        }
        if (w != null) {
            try {
                w.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        calls.forEach(c -> c.done().completeExceptionally(new IllegalStateException("the service is stopping")));
        resetProducer();
    }
}
