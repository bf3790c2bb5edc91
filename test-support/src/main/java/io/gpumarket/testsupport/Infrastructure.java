package io.gpumarket.testsupport;

/**
 * A running Kafka broker and PostgreSQL server for tests, shared by every test of one JVM and
 * stopped when the JVM exits. {@link #get()} picks containers when a Docker daemon answers and
 * local processes otherwise.
 */
public interface Infrastructure {
    String kafkaBootstrapServers();

    /** A JDBC URL for a fresh, empty database of this name (dropped first if it exists). */
    String freshDatabase(String name);

    String dbUser();

    String dbPassword();

    static Infrastructure get() {
        return Shared.INSTANCE;
    }

    final class Shared {
        private static final Infrastructure INSTANCE = start();

        private Shared() {}

        private static Infrastructure start() {
            Infrastructure infra = DockerInfrastructure.dockerAnswers()
                    ? new DockerInfrastructure()
                    : new LocalInfrastructure();
            return infra;
        }
    }
}
