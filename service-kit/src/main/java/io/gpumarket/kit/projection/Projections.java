package io.gpumarket.kit.projection;

import io.gpumarket.kit.kafka.DeadLetters;
import io.gpumarket.kit.kafka.KafkaSettings;
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
import java.util.HashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * This service's projections, in its database ({@link Projection}) or in memory
 * ({@link MemoryProjection}): starts their runners at start (one for all the database projections,
 * which share a consumer and a transaction per batch; one per memory projection), reports whether
 * all have caught up (readiness), rebuilds one from offset 0 on an operator's request (the others
 * of its runner stop and resume meanwhile), digests their state, and
 * lets an API call wait until its own writes (or everything committed so far to a topic) are
 * visible in the read models.
 */
@ApplicationScoped
public class Projections {
    private final Map<String, LogFollower> runners = new LinkedHashMap<>();
    private final KafkaSettings settings;
    private volatile Admin admin;

    public Projections(@Any Instance<Projection> projections, @Any Instance<MemoryProjection> inMemory,
            KafkaSettings settings, OffsetStore offsets, DeadLetters deadLetters) {
        this.settings = settings;
        List<Projection> inDatabase = projections.stream().toList();
        if (!inDatabase.isEmpty()) {
            var runner = new ProjectionRunner(settings.service().artifact() + "-projections", inDatabase, settings,
                    offsets, deadLetters);
            inDatabase.forEach(p -> runners.put(p.name(), runner));
        }
        for (MemoryProjection p : inMemory) {
            runners.put(p.name(), new MemoryProjectionRunner(p, settings));
        }
    }

    void onStart(@Observes @Priority(100) StartupEvent event) {
        distinctRunners().forEach(LogFollower::start);
    }

    void onStop(@Observes ShutdownEvent event) {
        distinctRunners().forEach(LogFollower::stop);
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }

    /** The runners, each once: this service's database projections share one. */
    private List<LogFollower> distinctRunners() {
        return runners.values().stream().distinct().toList();
    }

    public boolean allCaughtUp() {
        return distinctRunners().stream().allMatch(LogFollower::caughtUp);
    }

    public Map<String, Boolean> caughtUp() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        runners.forEach((name, r) -> out.put(name, r.caughtUp()));
        return out;
    }

    /** Whether partition {@code partition} of {@code topic} is assigned to this replica's projection {@code name}. */
    public boolean assignedHere(String name, String topic, int partition) {
        LogFollower r = runners.get(name);
        return r != null && r.appliedUpTo(new TopicPartition(topic, partition)) >= 0;
    }

    public boolean has(String name) {
        return runners.containsKey(name);
    }

    /** Stops the projection, empties its state (tables and offsets in one transaction), and replays from 0. */
    public void rebuild(String name) {
        LogFollower runner = runners.get(name);
        runner.stop();
        runner.reset(name);
        runner.start();
    }

    public String digest(String name) {
        return runners.get(name).digest(name);
    }

    /**
     * Waits until every projection reading {@code topic} has applied everything committed to it
     * when this is called: a read that must see another service's recent write (a machine just
     * registered by node-service). Returns false on timeout.
     */
    public boolean awaitCurrent(String topic, Duration timeout) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        try {
            var description = admin().describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(),
                    TimeUnit.MILLISECONDS).get(topic);
            description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
                    OffsetSpec.latest()));
            var ends = admin().listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + timeout.toNanos();
            for (var e : ends.entrySet()) {
                for (LogFollower r : distinctRunners()) {
                    if (!r.reads(topic)) {
                        continue;
                    }
                    while (r.appliedUpTo(e.getKey()) < e.getValue().offset()) {
                        if (System.nanoTime() > deadline) {
                            return false;
                        }
                        sleepBriefly();
                    }
                }
            }
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Admin admin() {
        if (admin == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(settings.admin());
                }
            }
        }
        return admin;
    }

    /**
     * Waits until every projection that reads the written records' topics has applied them, so a
     * response can show what its request wrote. Returns false if that took longer than the timeout.
     */
    public boolean awaitApplied(List<RecordMetadata> written, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (RecordMetadata m : written) {
            var tp = new TopicPartition(m.topic(), m.partition());
            for (LogFollower r : distinctRunners()) {
                if (!r.reads(m.topic())) {
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
