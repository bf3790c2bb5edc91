package io.gpumarket.events;

/**
 * Every record on a gpumarket topic. The concrete types are records in one sealed interface per
 * aggregate; each carries its {@link EventMeta} and a logical, versioned wire name
 * ({@code @JsonTypeName("rental.requested.v1")}) that never changes once published.
 */
public interface Event {
    EventMeta meta();

    default String aggregateId() {
        return meta().aggregateId();
    }
}
