package io.gpumarket.events.status;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An instance's status, with what API.md's table says each one counts and costs: whether it counts
 * toward the five-instance limit and the one-hour cover, and whether GPUs and storage are charged.
 */
public enum InstanceStatus {
    CREATING(true, false, false),
    RENTAL_ERROR(false, false, false),
    ONLINE(true, true, true),
    STOPPED(true, false, true),
    SCHEDULING(true, false, true),
    OUTBID(true, false, true),
    EXPIRED(false, false, true),
    TERMINATING(false, false, false),
    TERMINATED(false, false, false);

    private final boolean holdsResources;
    private final boolean gpuCharged;
    private final boolean storageCharged;

    InstanceStatus(boolean holdsResources, boolean gpuCharged, boolean storageCharged) {
        this.holdsResources = holdsResources;
        this.gpuCharged = gpuCharged;
        this.storageCharged = storageCharged;
    }

    /** Counts toward the five-instance limit and the one-hour balance cover. */
    public boolean holdsResources() {
        return holdsResources;
    }

    public boolean gpuCharged() {
        return gpuCharged;
    }

    public boolean storageCharged() {
        return storageCharged;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
