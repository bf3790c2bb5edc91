package io.gpumarket.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The envelope every event carries. {@code aggregateId} is also the Kafka key, so one aggregate's
 * events keep their order. {@code seq} is the aggregate's version after this event when a decider
 * wrote it, and 0 for requests that enter the log from an API before any decision.
 * {@code requestId} ties the event to the HTTP request that caused it (may be null).
 */
public record EventMeta(UUID eventId, String aggregateId, long seq, Instant occurredAt, String requestId) {
    public EventMeta {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    public static EventMeta of(UUID eventId, String aggregateId, long seq, Instant occurredAt) {
        return new EventMeta(eventId, aggregateId, seq, occurredAt, null);
    }
}
