package io.gpumarket.events.rental;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a piece of work asks a host agent to do with an instance's container: start it (creating
 * it, or again on the GPUs given), stop it (the disk stays), restart it in place, install its SSH
 * keys anew in the running container, or remove it with its disk.
 */
public enum WorkAction {
    START, STOP, RESTART, UPDATE_KEYS, TERMINATE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
