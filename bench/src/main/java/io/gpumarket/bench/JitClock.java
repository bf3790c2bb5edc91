package io.gpumarket.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Time the JIT compilers of the stack's JVMs spend compiling, read from each JVM's own performance
 * counters ({@code java.ci.totalTime} in its {@code hsperfdata} file, which {@code jstat -compiler}
 * reads too) without starting a process. On two cores a stack still compiling competes with the load
 * it serves, so the rentals scenario warms up until the compilers have settled and reports what they
 * still used while it measured.
 */
final class JitClock {
    private static final int MAGIC = 0xcafec0c0;

    private final Map<String, List<ProcessHandle>> jvms;

    JitClock(Map<String, List<ProcessHandle>> jvms) {
        this.jvms = jvms;
    }

    /** Seconds spent compiling so far, per group of JVMs (a JVM that has ended counts 0). */
    Map<String, Double> seconds() {
        Map<String, Double> out = new LinkedHashMap<>();
        jvms.forEach((name, list) -> out.put(name, list.stream().mapToDouble(h -> compileSeconds(h.pid())).sum()));
        return out;
    }

    /** Compiler cores used on average per group between two readings {@code seconds} apart. */
    static Map<String, Object> cores(Map<String, Double> before, Map<String, Double> after, double seconds) {
        Map<String, Object> out = new LinkedHashMap<>();
        before.forEach((name, s) -> out.put(name, Math.round((after.get(name) - s) / seconds * 1000) / 1000.0));
        return out;
    }

    static double total(Map<String, Double> seconds) {
        return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The JVM's {@code java.ci.totalTime} in seconds, or 0 when its counters cannot be read. */
    static double compileSeconds(long pid) {
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "hsperfdata_" + System.getProperty("user.name"),
                Long.toString(pid));
        try {
            Map<String, Long> counters = longCounters(ByteBuffer.wrap(Files.readAllBytes(file)),
                    List.of("java.ci.totalTime", "sun.os.hrt.frequency"));
            Long ticks = counters.get("java.ci.totalTime");
            Long frequency = counters.get("sun.os.hrt.frequency");
            return ticks == null || frequency == null || frequency == 0 ? 0 : (double) ticks / frequency;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * The named scalar long counters of a PerfData (v2) buffer: a prologue (magic, byte order,
     * versions, used, overflow, time stamp, entry offset, entry count), then entries of {length,
     * name offset, vector length, type, flags, units, variability, data offset}.
     */
    static Map<String, Long> longCounters(ByteBuffer b, List<String> names) {
        if (b.getInt(0) != MAGIC) {
            throw new IllegalArgumentException("not a PerfData buffer");
        }
        b.order(b.get(4) == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int entry = b.getInt(24);
        int count = b.getInt(28);
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < count && out.size() < names.size(); i++) {
            int length = b.getInt(entry);
            int nameAt = entry + b.getInt(entry + 4);
            int vector = b.getInt(entry + 8);
            byte type = b.get(entry + 12);
            int dataAt = entry + b.getInt(entry + 16);
            int end = nameAt;
            while (b.get(end) != 0) {
                end++;
            }
            String name = new String(b.array(), nameAt, end - nameAt, StandardCharsets.US_ASCII);
            if (vector == 0 && type == 'J' && names.contains(name)) {
                out.put(name, b.getLong(dataAt));
            }
            entry += length;
        }
        return out;
    }
}
