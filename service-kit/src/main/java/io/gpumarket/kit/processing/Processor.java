package io.gpumarket.kit.processing;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A consume-decide-produce step with one writer per aggregate: the records of co-partitioned
 * topics (all keyed by the aggregate ids the processor owns) are folded into per-partition state,
 * and each input is decided on by whoever owns its partition. Inputs are the records that need a
 * decision (requests, other aggregates' notifications, other services' facts); every other record
 * on these topics is one of the processor's own outputs. Outputs that are not inputs must be keyed
 * by the aggregate that decided them.
 *
 * @param <S> the state of one partition: all aggregates whose keys land in it
 */
public interface Processor<S> {
    /** Unique per service; also the consumer group and the transactional id prefix. */
    String name();

    /**
     * The topics, in the order recovery replays them (one after another). {@link #evolve} must
     * reach the same state from that order as from the order events were decided in.
     */
    List<TopicSpec<? extends Event>> topics();

    /**
     * Topics among {@link #topics()} that recovery does not replay from offset 0: their records only
     * refresh what the processor's own outputs also record (cumulative counters), so after a restart
     * reading on from the committed offset is enough. For short-retention, high-rate streams.
     */
    default Set<TopicSpec<? extends Event>> liveOnlyTopics() {
        return Set.of();
    }

    S emptyState();

    /**
     * Whether records of this type are inputs (decided on) rather than the processor's own outputs
     * (only folded in, and passed over unparsed when read back live). Decided by the type alone.
     */
    boolean isInput(Class<? extends Event> type);

    /** Folds an event into the state: an own output, or the facts an input carries. Never throws. */
    void evolve(S state, Event event);

    /** The events an input causes, given the state it found (already evolved with the input). */
    List<Event> decide(S state, Event input, Instant now);

    /**
     * The decision on an input this processor has just written (one of its aggregates' request to
     * another, or a request from the service's API: {@link Processors#write}), taken at once in the
     * transaction that writes it when this replica owns the partition it goes to, or null to leave
     * it to the log (it is then decided when read back).
     * Taken here it saves a trip through the log; the runner marks the written record as decided,
     * so when it is read back or replayed it is folded in, never decided again. {@code state} is
     * the input's partition without the input: a processor that takes the decision folds the input
     * in first (as {@link #evolve} would); one that returns null leaves the state as it was. Only a
     * decision that no fact still unread could have changed should be taken here (a placement that
     * succeeds, not a refusal that a registration not read yet would have prevented).
     */
    default List<Event> decideOnWrite(S state, Event input, Instant now) {
        return null;
    }

    /**
     * Events that follow from the state a decision left (its outputs already folded in): called
     * after each decided input and each tick, in the same transaction, e.g. to bring an allocation
     * in line with the rules after anything changed. Called again on the state its own outputs
     * leave, it must return nothing.
     */
    default List<Event> settle(S state, Instant now) {
        return List.of();
    }

    /** Events that time alone causes (metering, expiry); called every {@link #tickInterval()}. */
    default List<Event> tick(S state, Instant now) {
        return List.of();
    }

    default Duration tickInterval() {
        return Duration.ofSeconds(5);
    }
}
