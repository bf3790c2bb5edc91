package io.gpumarket.kit.projection;

import io.gpumarket.kit.kafka.DeadLetters;
import io.gpumarket.kit.kafka.KafkaSettings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * This service's projections: starts a runner for each at start, reports whether all have caught
 * up (readiness), rebuilds one from offset 0 on an operator's request, digests their tables, and
 * lets an API call wait until its own writes are visible in the read model.
 */
@ApplicationScoped
public class Projections {
    private final Map<String, ProjectionRunner> runners = new LinkedHashMap<>();
    private final OffsetStore offsets;

    public Projections(@Any Instance<Projection> projections, KafkaSettings settings, OffsetStore offsets,
            DeadLetters deadLetters) {
        this.offsets = offsets;
        for (Projection p : projections) {
            runners.put(p.name(), new ProjectionRunner(p, settings, offsets, deadLetters));
        }
    }

    void onStart(@Observes @Priority(100) StartupEvent event) {
        runners.values().forEach(ProjectionRunner::start);
    }

    void onStop(@Observes ShutdownEvent event) {
        runners.values().forEach(ProjectionRunner::stop);
    }

    public boolean allCaughtUp() {
        return runners.values().stream().allMatch(ProjectionRunner::caughtUp);
    }

    public Map<String, Boolean> caughtUp() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        runners.forEach((name, r) -> out.put(name, r.caughtUp()));
        return out;
    }

    public Optional<Projection> find(String name) {
        return Optional.ofNullable(runners.get(name)).map(ProjectionRunner::projection);
    }

    /** Stops the projection, empties its tables and offsets in one transaction, and replays from 0. */
    public void rebuild(String name) {
        ProjectionRunner runner = runners.get(name);
        runner.stop();
        QuarkusTransaction.requiringNew().run(() -> offsets.reset(name, runner.projection().tables()));
        runner.start();
    }

    public String digest(String name) {
        ProjectionRunner runner = runners.get(name);
        return QuarkusTransaction.requiringNew().call(() -> offsets.digest(runner.projection().tables()));
    }

    /**
     * Waits until every projection that reads the written records' topics has applied them, so a
     * response can show what its request wrote. Returns false if that took longer than the timeout.
     */
    public boolean awaitApplied(List<RecordMetadata> written, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (RecordMetadata m : written) {
            var tp = new TopicPartition(m.topic(), m.partition());
            for (ProjectionRunner r : runners.values()) {
                if (r.projection().topics().stream().noneMatch(t -> t.name().equals(m.topic()))) {
                    continue;
                }
                while (r.appliedUpTo(tp) <= m.offset()) {
                    if (System.nanoTime() > deadline) {
                        return false;
                    }
                    sleepBriefly();
                }
            }
        }
        return true;
    }

    public boolean awaitApplied(RecordMetadata written, Duration timeout) {
        return awaitApplied(List.of(written), timeout);
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
