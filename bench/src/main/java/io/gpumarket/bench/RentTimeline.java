package io.gpumarket.bench;

import io.gpumarket.events.Event;
import io.gpumarket.events.Topics;
import io.gpumarket.events.machine.ContainerState;
import io.gpumarket.events.machine.MachineEvent.ContainerReported;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalEvent.PlacementRefused;
import io.gpumarket.events.rental.RentalEvent.RentalApproved;
import io.gpumarket.events.rental.RentalEvent.RentalRequested;
import io.gpumarket.events.serde.EventJson;
import io.gpumarket.events.status.InstanceStatus;
import io.gpumarket.events.status.StatusEvent.InstanceStatusChanged;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows {@code gpumarket.rentals}, {@code .machines} and {@code .status} from their ends (read
 * committed, as the services read them) and stamps each instance's way to {@code online} with the
 * log's own record times: requested, approved, placed, reported running by the agent, online. The
 * hops between the stamps say where a rent's time goes; each {@code online} is also handed on as
 * it is seen.
 */
final class RentTimeline extends Thread implements AutoCloseable {
    enum Stage { REQUESTED, APPROVED, PLACED, REPORTED_RUNNING, ONLINE }

    /** The wire names of the events read; the others are passed over by their type header. */
    private static final Set<String> STAMPED = Stream.of(RentalRequested.class, RentalApproved.class,
            GpusAllocated.class, PlacementRefused.class, ContainerReported.class, InstanceStatusChanged.class)
            .map(EventJson::wireName).collect(Collectors.toSet());

    private final KafkaConsumer<String, byte[]> consumer;
    private final BiConsumer<String, Long> online;
    private final Map<String, EnumMap<Stage, Long>> stamps = new ConcurrentHashMap<>();
    private final Map<String, Long> refusedAt = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    /** {@code online} receives the instance id and {@link System#nanoTime()} when its status was read. */
    RentTimeline(String bootstrap, BiConsumer<String, Long> online) {
        super("rent-timeline");
        this.online = online;
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("isolation.level", "read_committed");
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> parts = new ArrayList<>();
        for (var topic : List.of(Topics.RENTALS, Topics.MACHINES, Topics.STATUS)) {
            consumer.partitionsFor(topic.name()).forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
        }
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position);
    }

    @Override
    public void run() {
        try {
            while (running) {
                for (var r : consumer.poll(Duration.ofMillis(50))) {
                    long seen = System.nanoTime();
                    Header type = r.headers().lastHeader(EventJson.TYPE_HEADER);
                    if (type != null && !STAMPED.contains(new String(type.value(), StandardCharsets.UTF_8))) {
                        continue; // not parsed: the load generator's CPU is taken from the system it measures
                    }
                    Event e = EventJson.read(r.value(), Topics.byName(r.topic()).orElseThrow().valueType());
                    if (e instanceof RentalRequested x) {
                        stamp(x.instanceId(), Stage.REQUESTED, r.timestamp());
                    } else if (e instanceof RentalApproved x) {
                        stamp(x.instanceId(), Stage.APPROVED, r.timestamp());
                    } else if (e instanceof GpusAllocated x) {
                        stamp(x.instanceId(), Stage.PLACED, r.timestamp());
                    } else if (e instanceof PlacementRefused x) {
                        refusedAt.put(x.instanceId(), r.timestamp());
                    } else if (e instanceof ContainerReported x && x.state() == ContainerState.RUNNING
                            && x.instanceId() != null) {
                        stamp(x.instanceId(), Stage.REPORTED_RUNNING, r.timestamp());
                    } else if (e instanceof InstanceStatusChanged s && s.status() == InstanceStatus.ONLINE) {
                        stamp(s.instanceId(), Stage.ONLINE, r.timestamp());
                        online.accept(s.instanceId(), seen);
                    }
                }
            }
        } finally {
            consumer.close();
        }
    }

    private synchronized void stamp(String instanceId, Stage stage, long atMillis) {
        stamps.computeIfAbsent(instanceId, id -> new EnumMap<>(Stage.class)).putIfAbsent(stage, atMillis);
    }

    /**
     * For the instances requested in {@code [fromMillis, toMillis)}: each hop's latency (p50, p99,
     * from record times, so to the millisecond) and how many placements the machines refused.
     */
    synchronized Map<String, Object> hops(long fromMillis, long toMillis) {
        Stage[] stages = Stage.values();
        Map<String, Latencies> hops = new LinkedHashMap<>();
        for (int k = 1; k < stages.length; k++) {
            hops.put(stages[k - 1].name().toLowerCase() + " -> " + stages[k].name().toLowerCase(), new Latencies());
        }
        int requested = 0;
        for (var s : stamps.values()) {
            Long at = s.get(Stage.REQUESTED);
            if (at == null || at < fromMillis || at >= toMillis) {
                continue;
            }
            requested++;
            for (int k = 1; k < stages.length; k++) {
                Long a = s.get(stages[k - 1]);
                Long b = s.get(stages[k]);
                if (a != null && b != null) {
                    hops.get(stages[k - 1].name().toLowerCase() + " -> " + stages[k].name().toLowerCase())
                            .add((b - a) * 1_000_000L);
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requested", requested);
        out.put("placementsRefused", refusedAt.values().stream().filter(t -> t >= fromMillis && t < toMillis).count());
        hops.forEach((name, l) -> {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("count", l.count());
            h.put("p50Ms", l.percentileMillis(50));
            h.put("p99Ms", l.percentileMillis(99));
            out.put(name, h);
        });
        out.put("note", "record times on the log (CreateTime, 1 ms resolution); placed = GPUs allocated,"
                + " reported_running = the agent's report written by node-service");
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        join(5_000);
    }
}
