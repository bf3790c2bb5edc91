package io.gpumarket.events.account;

import com.fasterxml.jackson.annotation.JsonValue;

/** What an account may do: rent (client), list machines (host), or run the platform (operator). */
public enum Role {
    CLIENT, HOST, OPERATOR;

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Role fromWire(String value) {
        for (Role r : values()) {
            if (r.wire().equals(value)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role: " + value);
    }
}
