package io.gpumarket.kit.kafka;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.serde.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Tells from a record's {@link EventJson#TYPE_HEADER} whether a reader acts on it, before the record
 * is parsed: a record whose header names an event type of the read topics that is none of the
 * reader's types (nor a subtype of one) is passed over. A record without the header, or naming a
 * type this build does not know, is kept, so it is parsed and handled (or dead-lettered) as before.
 */
public final class RecordFilter {
    private final Set<String> passedOver;

    /** Keeps the records of {@code readTypes} and of their subtypes. */
    public RecordFilter(List<TopicSpec<? extends Event>> topics, Collection<Class<?>> readTypes) {
        this(topics, type -> readTypes.stream().anyMatch(t -> t.isAssignableFrom(type)));
    }

    /** Keeps the records of the concrete event types {@code reads} accepts. */
    public RecordFilter(List<TopicSpec<? extends Event>> topics, Predicate<Class<? extends Event>> reads) {
        Set<String> names = new HashSet<>();
        for (Class<?> concrete : EventJson.concreteEventTypes()) {
            boolean onTopics = topics.stream().anyMatch(t -> t.valueType().isAssignableFrom(concrete));
            if (onTopics && !reads.test(concrete.asSubclass(Event.class))) {
                names.add(EventJson.wireName(concrete));
            }
        }
        this.passedOver = Set.copyOf(names);
    }

    public boolean keeps(ConsumerRecord<String, byte[]> record) {
        if (passedOver.isEmpty()) {
            return true;
        }
        Header type = record.headers().lastHeader(EventJson.TYPE_HEADER);
        return type == null || !passedOver.contains(new String(type.value(), StandardCharsets.UTF_8));
    }

    /** The wire names passed over, for tests and logs. */
    Set<String> passedOver() {
        return passedOver;
    }
}
