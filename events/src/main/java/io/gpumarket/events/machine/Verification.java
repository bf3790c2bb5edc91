package io.gpumarket.events.machine;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A machine's verification stage: {@code unverified} until it has proven itself online with a
 * benchmark in range, {@code verified} then, {@code deverified} after an anomaly.
 */
public enum Verification {
    UNVERIFIED, VERIFIED, DEVERIFIED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
