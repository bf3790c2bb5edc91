package io.gpumarket.events.rental;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a rental was refused; each maps to a 409 (or a {@code rental_error} status) for the client. */
public enum RejectionReason {
    INSUFFICIENT_BALANCE, INSTANCE_LIMIT, GPUS_TAKEN, DISK_TAKEN, OFFER_UNAVAILABLE, BID_TOO_LOW;

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
