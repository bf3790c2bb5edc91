package io.gpumarket.node.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.heartbeat.HeartbeatEvent.GpuReading;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Given the faults on the log, when a heartbeat shows the GPUs, then these faults are reported or cleared. */
class GpuFaultsTest {
    static GpuReading ok(int i) {
        return new GpuReading(i, 10, 100, 50, null);
    }

    @Test
    void markedAndMissingGpusAreFaultyAndRecoveryClearsThem() {
        Map<Integer, String> seen = GpuFaults.seen(List.of(ok(0), new GpuReading(1, 0, 0, 0, "Xid 79")), 4);
        assertThat(seen).containsExactly(Map.entry(1, "Xid 79"), Map.entry(2, "not reported by the driver"),
                Map.entry(3, "not reported by the driver"));
        assertThat(GpuFaults.changes(Map.of(), seen)).containsExactly(new GpuFaults.Change(1, "Xid 79"),
                new GpuFaults.Change(2, "not reported by the driver"), new GpuFaults.Change(3, "not reported by the driver"));
        assertThat(GpuFaults.changes(seen, seen)).as("nothing new").isEmpty();
        Map<Integer, String> healed = GpuFaults.seen(List.of(ok(0), ok(1), ok(2), ok(3)), 4);
        assertThat(healed).isEmpty();
        assertThat(GpuFaults.changes(seen, healed)).containsExactly(new GpuFaults.Change(1, null),
                new GpuFaults.Change(2, null), new GpuFaults.Change(3, null));
    }
}
