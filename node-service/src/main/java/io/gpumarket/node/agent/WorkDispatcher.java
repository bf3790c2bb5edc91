package io.gpumarket.node.agent;

import io.gpumarket.events.Topics;
import io.gpumarket.events.rental.RentalEvent;
import io.gpumarket.events.rental.RentalEvent.WorkIssued;
import io.gpumarket.events.serde.EventJson;
import io.gpumarket.kit.kafka.ConsumerWorker;
import io.gpumarket.kit.kafka.KafkaSettings;
import io.gpumarket.kit.kafka.RecordFilter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Hands each piece of work ({@code WorkIssued} on {@code gpumarket.rentals}) to {@code deliver} as
 * soon as its transaction commits. Every replica reads every partition, without a consumer group,
 * from the log end at each start: an agent gets its work from whichever replica holds its channel,
 * and a rent does not wait on the way for the host-work projection's database transaction. It
 * keeps no state and writes nothing; work committed before it started (or while it starts over)
 * reaches the agent from the {@code host_work} projection, when the agent connects and by the
 * sessions' sweep. The agent and its session drop work they were sent already.
 */
public final class WorkDispatcher extends ConsumerWorker {
    private static final Logger LOG = Logger.getLogger(WorkDispatcher.class);

    private final KafkaSettings settings;
    private final Consumer<WorkIssued> deliver;
    private final RecordFilter workOnly = new RecordFilter(List.of(Topics.RENTALS), Set.of(WorkIssued.class));
    private volatile boolean following;

    public WorkDispatcher(KafkaSettings settings, Consumer<WorkIssued> deliver) {
        super("work-dispatcher");
        this.settings = settings;
        this.deliver = deliver;
    }

    /** True once the current run has taken its place at the log end: work committed from then on is handed on. */
    public boolean following() {
        return following;
    }

    @Override
    protected void beforeStart() {
        following = false;
    }

    @Override
    protected KafkaConsumer<String, byte[]> newConsumer() {
        return new KafkaConsumer<>(settings.reader());
    }

    @Override
    protected void work(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> partitions = c.partitionsFor(Topics.RENTALS.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        c.assign(partitions);
        c.seekToEnd(partitions);
        partitions.forEach(c::position);
        following = true;
        while (running()) {
            for (var r : c.poll(Duration.ofMillis(500))) {
                if (!workOnly.keeps(r)) {
                    continue;
                }
                try {
                    if (EventJson.read(r.value(), RentalEvent.class) instanceof WorkIssued w) {
                        deliver.accept(w);
                    }
                } catch (RuntimeException e) {
                    // the host-work projection dead-letters what it cannot read; the sweep sends what it holds
                    LOG.debugf("work at %s-%d@%d not handed on: %s", r.topic(), r.partition(), r.offset(), e);
                }
            }
        }
    }
}
