package io.gpumarket.kit.projection;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import java.util.List;

/**
 * A read model held in memory, for reads that must be faster and fresher than a database round
 * trip (the offer search). Every replica reads every partition of its topics from offset 0 at
 * start, so it needs no stored offsets and no consumer group; readiness waits until it has caught
 * up. {@link #apply} is called from one thread; readers on other threads must see consistent
 * values (publish immutable snapshots). Handlers must give the same state for any interleaving of
 * the topics, since only the order within a partition is fixed.
 */
public interface MemoryProjection {
    String name();

    List<TopicSpec<? extends Event>> topics();

    void apply(Event event);

    /** Forgets everything; the runner then replays the log from offset 0. */
    void reset();

    /** A digest of the state, equal for equal states (to compare a live state and a rebuilt one). */
    String digest();
}
