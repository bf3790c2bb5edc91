package io.gpumarket.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.events.serde.EventDeserializer;
import io.gpumarket.events.serde.EventJson;
import io.gpumarket.events.serde.EventSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Freezes the wire format: every event type has a golden JSON file, the sample serialises to
 * exactly it, and the golden file reads back to the sample. Run with {@code -Dgolden.update=true}
 * to write the files for a new event type (then review them: a changed file is a breaking change).
 */
class GoldenJsonTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @Test
    void everyEventTypeHasASample() {
        Set<Class<?>> sampled = SampleEvents.all().stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(sampled).containsExactlyInAnyOrderElementsOf(EventJson.concreteEventTypes());
    }

    @Test
    void wireNamesAreUniqueAndVersioned() {
        List<String> names = EventJson.concreteEventTypes().stream().map(EventJson::wireName).toList();
        assertThat(names).doesNotHaveDuplicates().allMatch(n -> n.matches("[a-z]+\\.[a-z-]+\\.v\\d+"));
    }

    @TestFactory
    List<DynamicTest> roundTripThroughTheGoldenFiles() {
        return SampleEvents.all().stream().map(event -> DynamicTest.dynamicTest(
                EventJson.wireName(event.getClass()), () -> roundTrip(event))).toList();
    }

    private void roundTrip(Event event) throws IOException {
        String wire = EventJson.wireName(event.getClass());
        Path file = GOLDEN.resolve(wire + ".json");
        byte[] json = EventJson.write(event);
        if (Boolean.getBoolean("golden.update") && !Files.exists(file)) {
            Files.writeString(file, EventJson.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(EventJson.mapper().readTree(json)) + "\n");
        }
        assertThat(file).as("golden file for " + wire).exists();
        JsonNode golden = EventJson.mapper().readTree(Files.readAllBytes(file));
        assertThat(EventJson.mapper().readTree(json)).isEqualTo(golden);
        assertThat(golden.get("type").asText()).isEqualTo(wire);

        String topic = Topics.EVENT_TOPICS.stream().filter(t -> t.valueType().isInstance(event)).findFirst()
                .orElseThrow().name();
        Event back = new EventDeserializer().deserialize(topic, Files.readAllBytes(file));
        assertThat(back).isEqualTo(event);
        assertThat(new EventSerializer().serialize(topic, back)).isEqualTo(json);
    }
}
