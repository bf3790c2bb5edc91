package io.gpumarket.events.rental;

import com.fasterxml.jackson.annotation.JsonValue;

/** How an instance is rented: at the host's price, on a bid that can be outbid, or prepaid. */
public enum RentalType {
    ONDEMAND, INTERRUPTIBLE, RESERVED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
