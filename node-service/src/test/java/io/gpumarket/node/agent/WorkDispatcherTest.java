package io.gpumarket.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.kafka.TopicSetup;
import io.gpumarket.events.rental.ContainerSpec;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalEvent.WorkIssued;
import io.gpumarket.events.rental.RentalType;
import io.gpumarket.events.rental.WorkAction;
import io.gpumarket.kit.kafka.EventPublisher;
import io.gpumarket.kit.kafka.KafkaSettings;
import io.gpumarket.testsupport.Infrastructure;
import io.gpumarket.testsupport.LogWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * {@link WorkDispatcher} on a real broker: it hands on the work committed after it took its place
 * at the log end, in log order, and nothing else: not work committed before it started, not work
 * of an aborted transaction, not the machine's other rental events.
 */
class WorkDispatcherTest {
    private final String kafka = Infrastructure.get().kafkaBootstrapServers();
    private final KafkaSettings settings = new KafkaSettings(kafka, "rental");
    private final String machine = "m-" + UUID.randomUUID();

    @Test
    void handsOnCommittedWorkFromTheLogEndOnly() throws Exception {
        TopicSetup.ensureAll(Map.of("bootstrap.servers", kafka));
        LogWriter.publish(kafka, work("before-start"));
        Queue<String> delivered = new ConcurrentLinkedQueue<>();
        var dispatcher = new WorkDispatcher(settings, w -> {
            if (w.aggregateId().equals(machine)) {
                delivered.add(w.workId());
            }
        });
        dispatcher.start();
        try {
            LogWriter.await("the dispatcher at the log end", Duration.ofSeconds(30), dispatcher::following);
            try (var producer = new KafkaProducer<String, byte[]>(settings.producer("work-dispatcher-test"))) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(EventPublisher.record(settings, work("aborted"))).get();
                producer.abortTransaction();
            }
            LogWriter.publish(kafka, new GpusAllocated(meta(), "i-1", List.of(0), RentalType.ONDEMAND), work("first"));
            LogWriter.publish(kafka, work("second"));

            LogWriter.await("both pieces of work handed on", Duration.ofSeconds(30), () -> delivered.size() >= 2);
            assertThat(delivered).containsExactly("first", "second");
        } finally {
            dispatcher.stop();
        }
    }

    private Event work(String workId) {
        return new WorkIssued(meta(), workId, "i-" + workId, WorkAction.START, List.of(0), 40,
                new ContainerSpec("ubuntu:22.04", "args", null, List.of(), Map.of(), null, List.of()));
    }

    private EventMeta meta() {
        return EventMeta.of(UUID.randomUUID(), machine, 0, Instant.now());
    }
}
