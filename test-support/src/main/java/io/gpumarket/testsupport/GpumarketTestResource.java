package io.gpumarket.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the shared real broker and a fresh database of its own. Use as
 * {@code @QuarkusTestResource(value = GpumarketTestResource.class, initArgs = @ResourceArg(name =
 * "db", value = "rental_test"))}. Keeps the broker's INFO chatter out of the test log.
 */
public class GpumarketTestResource implements QuarkusTestResourceLifecycleManager {
    private String db = "gpumarket_test";

    @Override
    public void init(Map<String, String> initArgs) {
        db = initArgs.getOrDefault("db", db);
    }

    @Override
    public Map<String, String> start() {
        Infrastructure infra = Infrastructure.get();
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", infra.kafkaBootstrapServers());
        config.put("quarkus.datasource.jdbc.url", infra.freshDatabase(db));
        config.put("quarkus.datasource.username", infra.dbUser());
        config.put("quarkus.datasource.password", infra.dbPassword());
        config.put("quarkus.log.category.\"kafka\".level", "WARN");
        config.put("quarkus.log.category.\"org.apache.kafka\".level", "WARN");
        config.put("quarkus.log.category.\"state.change.logger\".level", "WARN");
        return config;
    }

    @Override
    public void stop() {
        // the infrastructure is shared by the JVM's tests and stops with the JVM
    }
}
