package io.gpumarket.kit.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.EventMeta;
import io.gpumarket.events.Topics;
import io.gpumarket.events.kafka.TopicSetup;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalEvent.PlacementRequested;
import io.gpumarket.events.rental.RentalEvent.RentalRequested;
import io.gpumarket.kit.kafka.EventPublisher;
import io.gpumarket.kit.kafka.KafkaSettings;
import io.gpumarket.kit.kafka.Partitions;
import io.gpumarket.kit.processing.DecidedOnWriteTest.Placements;
import io.gpumarket.testsupport.Infrastructure;
import io.gpumarket.testsupport.LogWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * {@link ProcessorRunner} on a real broker: a batch whose decisions write nothing opens no
 * transaction of its own. A stream of inputs decided to nothing, each arriving before the runner's
 * poll gives up waiting, is committed in a few transactions, not one per batch; every input is still
 * decided once, and when the stream stops the group's offset reaches the log end.
 */
class QuietBatchesTest {
    private static final int REPEATS = 60;
    private final String kafka = Infrastructure.get().kafkaBootstrapServers();
    private final KafkaSettings settings = new KafkaSettings(kafka, "rental");

    @Test
    void inputsDecidedToNothingShareTheNextTransaction() throws Exception {
        TopicSetup.ensureAll(Map.of("bootstrap.servers", kafka));
        Placements processor = new Placements("quiet-" + UUID.randomUUID(), true);
        processor.tickInterval = Duration.ofHours(1);
        var runner = DecidedOnWriteTest.started(processor, settings);
        try {
            RentalRequested rent = SubmittedRequestsTest.request();
            runner.submit(rent).get(30, TimeUnit.SECONDS);
            TopicPartition machinePartition = new TopicPartition(Topics.RENTALS.name(), Partitions.of(rent.machineId()));
            long before = runner.transactions();

            // the placement asked again and again: each repeat is decided, to nothing (already placed)
            try (var producer = new KafkaProducer<String, byte[]>(settings.streamProducer("quiet-test", 5))) {
                for (int i = 0; i < REPEATS; i++) {
                    var repeat = new PlacementRequested(EventMeta.of(UUID.randomUUID(), rent.machineId(), 0, Instant.now()),
                            rent.instanceId(), rent.accountId(), rent.hostAccountId(), null, null, null);
                    producer.send(EventPublisher.record(settings, repeat)).get();
                    Thread.sleep(10);
                }
            }
            LogWriter.await("every repeat decided", Duration.ofSeconds(30),
                    () -> processor.decidedReadBack.stream().filter(rent.instanceId()::equals).count() == REPEATS);
            LogWriter.await("the group's offset at the log end once the stream stopped", Duration.ofSeconds(30),
                    () -> DecidedOnWriteTest.committed(settings, processor.name(), machinePartition)
                            == logEnd(machinePartition));

            assertThat(runner.transactions() - before).as("transactions for %d inputs that wrote nothing", REPEATS)
                    .isPositive().isLessThan(REPEATS / 4);
            assertThat(LogWriter.readAll(kafka, Topics.RENTALS.name()).stream()
                    .filter(e -> e instanceof GpusAllocated a && a.instanceId().equals(rent.instanceId())))
                    .as("placed once").hasSize(1);
        } finally {
            runner.stop();
        }
    }

    private long logEnd(TopicPartition tp) {
        try (Admin admin = Admin.create(settings.admin())) {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
        } catch (Exception e) {
            return -2;
        }
    }
}
