package io.gpumarket.kit.projection;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import java.util.List;
import java.util.Set;

/**
 * A read model in this service's PostgreSQL, built only from the log. The runner calls
 * {@link #apply} inside the transaction that also stores its offsets, so rows and offsets move
 * together. Handlers are idempotent (upserts keyed by event or entry ids) and use no wall-clock
 * value: replaying the log from offset 0 writes the same rows, to the byte.
 */
public interface Projection {
    /**
     * Unique per service: names its stored offsets, its dead letters and its operator actions (the
     * service's projections share one consumer group, {@code <service>-projections}).
     */
    String name();

    List<TopicSpec<? extends Event>> topics();

    void apply(Event event, Position position);

    /**
     * The event types (records or the interfaces they implement) {@link #apply} and
     * {@link #committed} act on; records of the topics' other types are passed over unparsed, and
     * a batch of nothing else opens no database transaction. Every type, by default.
     */
    default Set<Class<?>> eventTypes() {
        return Set.of(Event.class);
    }

    /**
     * Applies one polled batch, in log order, in the runner's transaction. By default one event
     * at a time; a projection of a high-rate stream may override it to coalesce the batch (keep
     * the last state per key) and write each row once.
     */
    default void applyAll(List<Positioned> batch) {
        for (Positioned p : batch) {
            apply(p.event(), p.position());
        }
    }

    /**
     * Called after a transaction with these events has committed, for effects outside the
     * database (handing a waiting request the decision it waits for). Also called while replaying,
     * so such effects must be harmless to repeat.
     */
    default void committed(List<Event> events) {}

    /**
     * The most records one batch (one transaction) takes from the log; the service's projections
     * share a consumer, which takes the largest of theirs.
     */
    default int maxPollRecords() {
        return 500;
    }

    /** The tables this projection owns: emptied on rebuild, digested to compare live and rebuilt state. */
    List<String> tables();

    /** Where a record sits in the log. */
    record Position(String topic, int partition, long offset) {}

    /** An event and where it sits. */
    record Positioned(Event event, Position position) {}
}
