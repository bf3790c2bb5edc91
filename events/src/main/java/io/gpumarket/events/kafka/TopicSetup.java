package io.gpumarket.events.kafka;

import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the registry's topics with their partitions and retention, leaving existing topics as
 * they are. Safe to run from every service at once. Plain Kafka admin client, no container needed.
 */
public final class TopicSetup {
    private TopicSetup() {}

    public static void ensure(Map<String, Object> adminConfig, Collection<TopicSpec<?>> topics) {
        try (Admin admin = Admin.create(adminConfig)) {
            List<NewTopic> wanted = topics.stream()
                    .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.configs()))
                    .toList();
            for (var entry : admin.createTopics(wanted).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not answer while creating topics", e);
        }
    }

    public static void ensureAll(Map<String, Object> adminConfig) {
        ensure(adminConfig, Topics.all());
    }
}
