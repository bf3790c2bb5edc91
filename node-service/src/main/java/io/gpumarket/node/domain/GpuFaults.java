package io.gpumarket.node.domain;

import io.gpumarket.events.heartbeat.HeartbeatEvent.GpuReading;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which of a machine's GPUs are faulty after a heartbeat: those the agent marks with a fault, and
 * those it no longer reports at all (lost from the bus). {@link #changes} compares with the faults
 * already on the log and says what to publish: a fault newly seen, or one cleared.
 */
public final class GpuFaults {
    private GpuFaults() {}

    /** One change: {@code reason} null means the fault on {@code gpuIndex} cleared. */
    public record Change(int gpuIndex, String reason) {}

    public static Map<Integer, String> seen(List<GpuReading> gpus, int gpuCount) {
        Map<Integer, String> faults = new TreeMap<>();
        for (int i = 0; i < gpuCount; i++) {
            faults.put(i, "not reported by the driver");
        }
        for (GpuReading g : gpus) {
            if (g.fault() == null) {
                faults.remove(g.index());
            } else {
                faults.put(g.index(), g.fault());
            }
        }
        return faults;
    }

    public static List<Change> changes(Map<Integer, String> known, Map<Integer, String> now) {
        List<Change> out = new java.util.ArrayList<>();
        now.forEach((gpu, reason) -> {
            if (!known.containsKey(gpu)) {
                out.add(new Change(gpu, reason));
            }
        });
        known.keySet().stream().filter(gpu -> !now.containsKey(gpu)).sorted().forEach(gpu -> out.add(new Change(gpu, null)));
        return out;
    }
}
