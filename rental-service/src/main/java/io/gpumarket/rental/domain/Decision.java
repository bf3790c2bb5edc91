package io.gpumarket.rental.domain;

import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The events one decision of one aggregate emits, numbered from the aggregate's version: its own
 * events get the next seqs; notifications to another aggregate get seq 0. Event ids derive from
 * (aggregate, seq), so deciding the same input on the same state twice yields the same ids.
 */
final class Decision {
    private final String aggregateId;
    private final Instant now;
    private final String requestId;
    private long version;
    private int notifications;
    private String cause = "";
    private final List<Event> events = new ArrayList<>();

    Decision(String aggregateId, long version, Instant now, String requestId) {
        this.aggregateId = aggregateId;
        this.version = version;
        this.now = now;
        this.requestId = requestId;
    }

    Instant now() {
        return now;
    }

    EventMeta next() {
        version++;
        return new EventMeta(uuid(aggregateId + "#" + version), aggregateId, version, now, requestId);
    }

    EventMeta notify(String target) {
        notifications++;
        return new EventMeta(uuid(aggregateId + "#" + version + cause + "#notify#" + notifications + "#" + target),
                target, 0, now, requestId);
    }

    /**
     * Names the input in notification ids: for a decision that only notifies (the version does not
     * move), so two such decisions at one version still get distinct ids.
     */
    Decision causedBy(Event input) {
        cause = "#" + input.meta().eventId();
        return this;
    }

    /** An id derived from the aggregate's current version, e.g. for a piece of work. */
    String derivedId(String kind) {
        return uuid(aggregateId + "#" + version + "#" + kind).toString();
    }

    Decision add(Event e) {
        events.add(e);
        return this;
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    private static UUID uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
