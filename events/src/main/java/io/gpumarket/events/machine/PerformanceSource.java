package io.gpumarket.events.machine;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a machine's DLPerf figure comes from: node-service's GPU table, or the agent's benchmark. */
public enum PerformanceSource {
    TABLE, BENCHMARK;

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
