package io.gpumarket.events.status;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;

/**
 * Topic {@code gpumarket.status}, key = machine id (an instance never leaves its machine, and the
 * machine aggregate of rental-service decides every status), written by rental-service: every
 * instance status change with its reason. {@code meta.occurredAt} is when the change took effect.
 */
public sealed interface StatusEvent extends Event {

    @JsonTypeName("status.changed.v1")
    record InstanceStatusChanged(EventMeta meta, String instanceId, String accountId, InstanceStatus status,
            String reason) implements StatusEvent {}
}
