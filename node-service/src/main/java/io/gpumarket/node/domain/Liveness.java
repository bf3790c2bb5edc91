package io.gpumarket.node.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which machines are alive: each sign of life records its time, and a machine silent for longer
 * than {@code offlineAfter} has expired (once). Time is passed in; safe to use from many threads.
 */
public final class Liveness {
    private final Duration offlineAfter;
    private final Map<String, Instant> lastBeat = new ConcurrentHashMap<>();

    public Liveness(Duration offlineAfter) {
        this.offlineAfter = offlineAfter;
    }

    public Duration offlineAfter() {
        return offlineAfter;
    }

    /** Records a sign of life at {@code at}; true when the machine was not alive before it. */
    public boolean beat(String machineId, Instant at) {
        return lastBeat.put(machineId, at) == null;
    }

    /** Counts a machine alive from {@code at} unless it already is: one the log says is online. */
    public void assumeAlive(String machineId, Instant at) {
        lastBeat.putIfAbsent(machineId, at);
    }

    public boolean alive(String machineId) {
        return lastBeat.containsKey(machineId);
    }

    /** The machines silent for longer than {@code offlineAfter} at {@code now}, each forgotten as it is returned. */
    public List<String> expire(Instant now) {
        List<String> out = new ArrayList<>();
        for (var e : lastBeat.entrySet()) {
            if (Duration.between(e.getValue(), now).compareTo(offlineAfter) > 0
                    && lastBeat.remove(e.getKey(), e.getValue())) {
                out.add(e.getKey());
            }
        }
        out.sort(null);
        return out;
    }
}
