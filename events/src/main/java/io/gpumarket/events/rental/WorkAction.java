package io.gpumarket.events.rental;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a piece of work asks a host agent to do with an instance's container. */
public enum WorkAction {
    START, STOP, TERMINATE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
