package io.gpumarket.node.domain;

import io.gpumarket.events.agent.AgentMessage.Heartbeat;
import io.gpumarket.events.heartbeat.HeartbeatEvent.ContainerTraffic;
import io.gpumarket.events.heartbeat.HeartbeatEvent.GpuReading;
import io.gpumarket.events.machine.MachineSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a heartbeat can be true of the machine that sent it: a positive seq; sampled no later
 * than {@link #MAX_CLOCK_SKEW} from now and no earlier than {@link #MAX_AGE} ago; at most the
 * registered number of GPUs, each index once and in range, utilisation 0–100 %, memory used
 * within the GPU's VRAM, temperature {@value #MIN_TEMPERATURE_C}–{@value #MAX_TEMPERATURE_C} °C;
 * disk free not negative nor beyond {@value #MAX_DISK_FACTOR}× the declared disk; sane version
 * strings; traffic counters not negative. The first problem found is the reason the frame is
 * refused; a refused heartbeat never reaches the log.
 */
public final class HeartbeatCheck {
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(2);
    public static final Duration MAX_AGE = Duration.ofHours(24);
    public static final int MIN_TEMPERATURE_C = -40;
    public static final int MAX_TEMPERATURE_C = 130;
    public static final int MAX_DISK_FACTOR = 10;
    private static final int MAX_INSTANCES = 256;
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z._+-]{1,32}");
    private static final Pattern INSTANCE_ID = Pattern.compile("[0-9A-Za-z._:-]{1,64}");

    private HeartbeatCheck() {}

    public static Optional<String> problem(Heartbeat hb, MachineSpec spec, Instant now) {
        if (hb.seq() < 1) {
            return Optional.of("seq must be at least 1");
        }
        if (hb.sampledAt() == null) {
            return Optional.of("sampledAt is missing");
        }
        if (hb.sampledAt().isAfter(now.plus(MAX_CLOCK_SKEW))) {
            return Optional.of("sampledAt " + hb.sampledAt() + " is in the future (the agent's clock is off)");
        }
        if (hb.sampledAt().isBefore(now.minus(MAX_AGE))) {
            return Optional.of("sampledAt " + hb.sampledAt() + " is more than " + MAX_AGE.toHours() + " h old");
        }
        if (hb.gpus() == null) {
            return Optional.of("gpus is missing");
        }
        if (hb.gpus().size() > spec.gpuCount()) {
            return Optional.of(hb.gpus().size() + " GPUs reported, the machine has " + spec.gpuCount());
        }
        BitSet seen = new BitSet();
        long vramMb = spec.gpuRamGb() * 1024L;
        for (GpuReading g : hb.gpus()) {
            if (g == null || g.index() < 0 || g.index() >= spec.gpuCount()) {
                return Optional.of("GPU index " + (g == null ? null : g.index()) + " is not one of the machine's 0.."
                        + (spec.gpuCount() - 1));
            }
            if (seen.get(g.index())) {
                return Optional.of("GPU " + g.index() + " reported twice");
            }
            seen.set(g.index());
            if (g.utilizationPercent() < 0 || g.utilizationPercent() > 100) {
                return Optional.of("GPU " + g.index() + " utilisation " + g.utilizationPercent() + " % is not 0 to 100");
            }
            if (g.memoryUsedMb() < 0 || g.memoryUsedMb() > vramMb) {
                return Optional.of("GPU " + g.index() + " memory used " + g.memoryUsedMb() + " MB is not 0 to "
                        + vramMb + " MB");
            }
            if (g.temperatureC() < MIN_TEMPERATURE_C || g.temperatureC() > MAX_TEMPERATURE_C) {
                return Optional.of("GPU " + g.index() + " temperature " + g.temperatureC() + " °C is not "
                        + MIN_TEMPERATURE_C + " to " + MAX_TEMPERATURE_C);
            }
            if (g.fault() != null && (g.fault().isBlank() || g.fault().length() > 200)) {
                return Optional.of("GPU " + g.index() + " fault must be 1 to 200 characters");
            }
        }
        if (hb.diskFreeGb() != null && (hb.diskFreeGb() < 0 || hb.diskFreeGb() > (long) spec.diskGb() * MAX_DISK_FACTOR)) {
            return Optional.of("disk free " + hb.diskFreeGb() + " GB is not 0 to " + MAX_DISK_FACTOR + " x the declared "
                    + spec.diskGb() + " GB");
        }
        for (String v : new String[] {hb.driverVersion(), hb.cudaVersion()}) {
            if (v != null && !VERSION.matcher(v).matches()) {
                return Optional.of("version '" + abbreviate(v) + "' is not a version");
            }
        }
        if (hb.runningInstanceIds() != null) {
            if (hb.runningInstanceIds().size() > MAX_INSTANCES) {
                return Optional.of("more than " + MAX_INSTANCES + " running instances");
            }
            for (String id : hb.runningInstanceIds()) {
                if (id == null || !INSTANCE_ID.matcher(id).matches()) {
                    return Optional.of("running instance id '" + abbreviate(id) + "' is not an id");
                }
            }
        }
        if (hb.traffic() != null) {
            if (hb.traffic().size() > MAX_INSTANCES) {
                return Optional.of("traffic for more than " + MAX_INSTANCES + " instances");
            }
            for (ContainerTraffic t : hb.traffic()) {
                if (t == null || t.instanceId() == null || !INSTANCE_ID.matcher(t.instanceId()).matches()) {
                    return Optional.of("traffic without a valid instance id");
                }
                if (t.rxBytes() < 0 || t.txBytes() < 0) {
                    return Optional.of("traffic counters of " + t.instanceId() + " are negative");
                }
            }
        }
        return Optional.empty();
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
