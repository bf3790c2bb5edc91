package io.gpumarket.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Latency samples in nanoseconds, summarised as the report shows them (milliseconds, three decimals). */
final class Latencies {
    private long[] samples = new long[1024];
    private int size;

    void add(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    void addAll(Latencies other) {
        for (int i = 0; i < other.size; i++) {
            add(other.samples[i]);
        }
    }

    int count() {
        return size;
    }

    double percentileMillis(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * size) - 1;
        return round(sorted[Math.max(0, Math.min(size - 1, index))] / 1e6);
    }

    Map<String, Object> summary(double seconds) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requests", size);
        out.put("perSecond", round(size / seconds));
        out.putAll(percentiles());
        return out;
    }

    /** p50, p99 and the maximum, in milliseconds. */
    Map<String, Object> percentiles() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("p50Ms", percentileMillis(50));
        out.put("p99Ms", percentileMillis(99));
        out.put("maxMs", percentileMillis(100));
        return out;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
