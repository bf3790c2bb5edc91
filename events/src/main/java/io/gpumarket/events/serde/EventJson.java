package io.gpumarket.events.serde;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.gpumarket.events.Event;
import io.gpumarket.events.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one JSON form of events on the wire: a {@code type} property with the event's logical,
 * versioned name, ISO-8601 instants, unknown properties ignored (additive changes), nulls left out.
 * Subtypes are found by walking each topic's sealed interface, so adding a record to a sealed
 * interface is all it takes to make it serialisable.
 */
public final class EventJson {
    private static final ObjectMapper MAPPER = build();

    /**
     * The record header every writer puts an event's wire name in (UTF-8), so that a reader can
     * pass over a record it has no use for without parsing it. A record without it is parsed.
     */
    public static final String TYPE_HEADER = "type";

    private static final ClassValue<byte[]> WIRE_NAME_BYTES = new ClassValue<>() {
        @Override
        protected byte[] computeValue(Class<?> type) {
            return wireName(type).getBytes(StandardCharsets.UTF_8);
        }
    };

    private EventJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Event event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + event.getClass().getSimpleName(), e);
        }
    }

    public static <E extends Event> E read(byte[] json, Class<E> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + type.getSimpleName(), e);
        }
    }

    /** Every concrete event record reachable from the registry's sealed interfaces. */
    public static List<Class<?>> concreteEventTypes() {
        List<Class<?>> out = new ArrayList<>();
        for (var topic : Topics.EVENT_TOPICS) {
            collect(topic.valueType(), out);
        }
        return out;
    }

    private static void collect(Class<?> type, List<Class<?>> out) {
        if (type.isSealed()) {
            for (Class<?> sub : type.getPermittedSubclasses()) {
                collect(sub, out);
            }
        } else if (type.isRecord()) {
            out.add(type);
        }
    }

    private static ObjectMapper build() {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
        for (var topic : Topics.EVENT_TOPICS) {
            mapper.addMixIn(topic.valueType(), TypedByName.class);
        }
        for (Class<?> type : concreteEventTypes()) {
            mapper.registerSubtypes(new NamedType(type, wireName(type)));
        }
        return mapper;
    }

    /** The {@link #TYPE_HEADER} value of an event. */
    public static byte[] typeHeader(Event event) {
        return WIRE_NAME_BYTES.get(event.getClass());
    }

    /** The logical wire name of an event type, from its {@code @JsonTypeName}. */
    public static String wireName(Class<?> type) {
        var name = type.getAnnotation(com.fasterxml.jackson.annotation.JsonTypeName.class);
        if (name == null) {
            throw new IllegalStateException(type.getName() + " has no @JsonTypeName wire name");
        }
        return name.value();
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
    private interface TypedByName {}
}
