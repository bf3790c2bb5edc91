package io.gpumarket.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.serde.EventJson;
import org.junit.jupiter.api.Test;

class TopicsTest {
    @Test
    void eventTopicsKeepEverythingExceptRawHeartbeats() {
        for (var topic : Topics.EVENT_TOPICS) {
            long expected = topic == Topics.HEARTBEATS ? 7L * 24 * 3600 * 1000 : TopicSpec.FOREVER;
            assertThat(topic.retentionMs()).as(topic.name()).isEqualTo(expected);
            assertThat(topic.configs()).containsEntry("cleanup.policy", "delete");
        }
    }

    @Test
    void eventTopicsAreCoPartitioned() {
        assertThat(Topics.EVENT_TOPICS).allMatch(t -> t.partitions() == Topics.PARTITIONS);
    }

    @Test
    void namesAreUniqueAndEachValueTypeBelongsToOneTopic() {
        assertThat(Topics.all().stream().map(TopicSpec::name)).doesNotHaveDuplicates();
        assertThat(Topics.EVENT_TOPICS.stream().map(TopicSpec::valueType)).doesNotHaveDuplicates();
    }

    @Test
    void everyConcreteTypeHasAWireName() {
        assertThat(EventJson.concreteEventTypes()).isNotEmpty()
                .allSatisfy(t -> assertThat(EventJson.wireName(t)).isNotBlank());
    }
}
