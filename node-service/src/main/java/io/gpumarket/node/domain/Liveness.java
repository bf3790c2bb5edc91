package io.gpumarket.node.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which machines are alive: each sign of life records its time, and a machine silent for longer
 * than {@code offlineAfter} has expired (once), unless the log shows it beat at another replica in
 * that time. Time is passed in; safe to use from many threads.
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

    /** The machines silent here for longer than {@code offlineAfter} at {@code now}, in id order; nothing is forgotten. */
    public List<String> silent(Instant now) {
        List<String> out = new ArrayList<>();
        lastBeat.forEach((id, at) -> {
            if (expired(at, now)) {
                out.add(id);
            }
        });
        out.sort(null);
        return out;
    }

    /**
     * The machines silent for longer than {@code offlineAfter} at {@code now}, each forgotten as it
     * is returned, unless {@code heardOnTheLog} (the latest heartbeat on the log, whichever replica
     * wrote it) is within {@code offlineAfter}: such a machine beats at another replica and is kept
     * alive from that time.
     */
    public List<String> expire(Instant now, Map<String, Instant> heardOnTheLog) {
        List<String> out = new ArrayList<>();
        for (var e : lastBeat.entrySet()) {
            if (!expired(e.getValue(), now)) {
                continue;
            }
            Instant elsewhere = heardOnTheLog.get(e.getKey());
            if (elsewhere != null && !expired(elsewhere, now)) {
                lastBeat.replace(e.getKey(), e.getValue(), elsewhere);
            } else if (lastBeat.remove(e.getKey(), e.getValue())) {
                out.add(e.getKey());
            }
        }
        out.sort(null);
        return out;
    }

    private boolean expired(Instant lastSignOfLife, Instant now) {
        return Duration.between(lastSignOfLife, now).compareTo(offlineAfter) > 0;
    }
}
