package io.gpumarket.node.api;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gpumarket.events.heartbeat.HeartbeatEvent.ContainerTraffic;
import io.gpumarket.events.heartbeat.HeartbeatEvent.GpuReading;
import io.gpumarket.node.projection.HeartbeatRow;
import io.gpumarket.node.projection.MachineRow;
import java.time.Instant;
import java.util.List;

/** A machine's latest heartbeat as its owner sees it, with the number of heartbeats counted. */
public record HeartbeatView(Instant sampledAt, long seq, long beats, List<GpuReading> gpus, Long diskFreeGb,
        List<String> runningInstanceIds, List<ContainerTraffic> traffic) {

    static HeartbeatView of(HeartbeatRow row) {
        if (row == null) {
            return null;
        }
        return new HeartbeatView(row.sampledAt, row.maxSeq, row.beats,
                MachineRow.read(row.gpus, new TypeReference<>() {}), row.diskFreeGb,
                MachineRow.read(row.running, new TypeReference<>() {}),
                MachineRow.read(row.traffic, new TypeReference<>() {}));
    }
}
