package io.gpumarket.events.serde;

import io.gpumarket.events.Event;
import io.gpumarket.events.Topics;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka value deserializer: reads a record as the sealed event type the registry gives its topic.
 * Fails (and the caller dead-letters the record) on an unknown topic or an unreadable value.
 */
public final class EventDeserializer implements Deserializer<Event> {
    @Override
    public Event deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        var spec = Topics.byName(topic)
                .orElseThrow(() -> new IllegalArgumentException("topic not in the registry: " + topic));
        return EventJson.read(data, spec.valueType());
    }
}
