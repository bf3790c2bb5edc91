package io.gpumarket.node.projection;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.heartbeat.HeartbeatEvent.HeartbeatReceived;
import io.gpumarket.kit.projection.Projection;
import io.gpumarket.kit.projection.RowsById;
import io.gpumarket.node.domain.SeqWindow;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code gpumarket.heartbeats} into one row per machine: its latest heartbeat, when the
 * latest one reached a node-service replica (any replica's: offline detection asks it before it
 * judges a machine silent here), and how many distinct heartbeats were counted ((boot, seq) through a {@link SeqWindow}, so one written twice
 * counts once). Built for tens of thousands of heartbeats a second: each polled batch reads the
 * rows of the machines in it with one query and writes each row once.
 */
@ApplicationScoped
public class HeartbeatsProjection implements Projection {
    @Override
    public String name() {
        return "node-heartbeats";
    }

    @Override
    public List<TopicSpec<? extends Event>> topics() {
        return List.of(Topics.HEARTBEATS);
    }

    @Override
    public List<String> tables() {
        return List.of("machine_heartbeat");
    }

    /** Large batches: each machine's row is written once per batch however many heartbeats it holds. */
    @Override
    public int maxPollRecords() {
        return 5_000;
    }

    @Override
    public void apply(Event event, Position position) {
        applyAll(List.of(new Positioned(event, position)));
    }

    @Override
    public void applyAll(List<Positioned> batch) {
        Set<String> machines = new LinkedHashSet<>();
        for (Positioned p : batch) {
            machines.add(p.event().aggregateId());
        }
        Map<String, HeartbeatRow> rows = RowsById.load(HeartbeatRow.class, machines, r -> r.machineId);
        Map<String, HeartbeatReceived> latestOf = new LinkedHashMap<>();
        for (Positioned p : batch) {
            HeartbeatReceived hb = (HeartbeatReceived) p.event();
            HeartbeatRow row = rows.get(hb.aggregateId());
            SeqWindow before = row == null ? null : new SeqWindow(row.bootId, row.maxSeq, row.seenMask);
            SeqWindow after = SeqWindow.admit(before, hb.bootId(), hb.agentSeq());
            if (after == null) {
                continue;
            }
            boolean fresh = row == null;
            if (fresh) {
                row = new HeartbeatRow();
                row.machineId = hb.aggregateId();
                rows.put(row.machineId, row);
            }
            boolean latest = before == null || after.maxSeq() != before.maxSeq() || !after.bootId().equals(before.bootId());
            row.bootId = after.bootId();
            row.maxSeq = after.maxSeq();
            row.seenMask = after.mask();
            row.beats++;
            Instant received = hb.meta().occurredAt();
            if (row.receivedAt == null || received.isAfter(row.receivedAt)) {
                row.receivedAt = received;
            }
            if (latest) {
                latestOf.put(row.machineId, hb);
            }
            if (fresh) {
                latestOf.put(row.machineId, hb);
                show(row, hb);
                row.persist(); // after the fields are set: Hibernate inserts the state at persist
            }
        }
        // the readings of the batch's last heartbeat per machine, written once
        latestOf.forEach((id, hb) -> show(rows.get(id), hb));
    }

    private static void show(HeartbeatRow row, HeartbeatReceived hb) {
        row.sampledAt = hb.sampledAt();
        row.gpus = MachineRow.json(hb.gpus());
        row.diskFreeGb = hb.diskFreeGb();
        row.running = MachineRow.json(hb.runningInstanceIds() == null ? List.of() : hb.runningInstanceIds());
        row.traffic = MachineRow.json(hb.traffic() == null ? List.of() : hb.traffic());
    }
}
