package io.gpumarket.events.machine;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a host agent reports about a container after carrying out a piece of work. */
public enum ContainerState {
    RUNNING, STOPPED, REMOVED, FAILED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
