package io.gpumarket.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Without Docker: an in-JVM KRaft broker and PostgreSQL from the installed binaries, in temp dirs. */
final class LocalInfrastructure implements Infrastructure {
    private final InJvmKafka kafka;
    private final LocalPostgres postgres;

    LocalInfrastructure() {
        kafka = InJvmKafka.start();
        Path pgDir;
        try {
            pgDir = Files.createTempDirectory("gpumarket-pg");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        postgres = LocalPostgres.start(pgDir.resolve("data"), FreePorts.next());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            postgres.stop();
            kafka.stop();
            InJvmKafka.deleteRecursively(pgDir);
        }, "gpumarket-test-infra-stop"));
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public String freshDatabase(String name) {
        return Databases.recreate(postgres.jdbcUrl("postgres"), LocalPostgres.USER, "", name);
    }

    @Override
    public String dbUser() {
        return LocalPostgres.USER;
    }

    @Override
    public String dbPassword() {
        return "";
    }
}
