package io.gpumarket.kit.kafka;

import io.gpumarket.events.kafka.TopicSetup;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** At start, before any runner consumes, makes sure every topic of the registry exists. */
@ApplicationScoped
public class TopicInitializer {
    void onStart(@Observes @Priority(10) StartupEvent event, KafkaSettings settings) {
        TopicSetup.ensureAll(settings.admin());
    }
}
