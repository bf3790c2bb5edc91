package io.gpumarket.testsupport;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;

/** The Docker branch: the official Apache Kafka image in KRaft mode and PostgreSQL, via Testcontainers. */
final class DockerInfrastructure implements Infrastructure {
    private final KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.0");
    private final PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:16-alpine");

    DockerInfrastructure() {
        kafka.start();
        postgres.start();
    }

    static boolean dockerAnswers() {
        if (System.getenv("DOCKER_HOST") == null && !java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public String freshDatabase(String name) {
        return Databases.recreate(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword(), name);
    }

    @Override
    public String dbUser() {
        return postgres.getUsername();
    }

    @Override
    public String dbPassword() {
        return postgres.getPassword();
    }
}
