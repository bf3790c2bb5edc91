package io.gpumarket.events.serde;

import io.gpumarket.events.Event;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka value serializer for every event topic. */
public final class EventSerializer implements Serializer<Event> {
    @Override
    public byte[] serialize(String topic, Event data) {
        return data == null ? null : EventJson.write(data);
    }
}
