package io.gpumarket.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml} as {@code docker-compose config} resolves it (the file is valid, its
 * anchors merged): every service has a health check on its readiness endpoint and waits for Kafka
 * and PostgreSQL to be healthy; the gateway waits for every service; a demo host agent runs.
 */
class ComposeFileTest {
    @Test
    void startsEveryServiceWithAHealthCheckAfterWhatItNeeds() throws Exception {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(Repo.run("docker-compose", "config"));
        JsonNode services = compose.get("services");
        for (String name : List.of("kafka", "postgres")) {
            assertThat(services.path(name).path("healthcheck").path("test").isMissingNode()).as(name).isFalse();
        }
        for (String service : Repo.SERVICES) {
            JsonNode s = services.get(service);
            assertThat(s).as(service).isNotNull();
            assertThat(s.path("healthcheck").path("test").toString()).as(service).contains("/q/health/ready");
            assertThat(s.path("build").path("args").path("SERVICE").asText()).as(service).isEqualTo(service);
            for (String infra : List.of("kafka", "postgres")) {
                assertThat(s.path("depends_on").path(infra).path("condition").asText()).as(service + " on " + infra)
                        .isEqualTo("service_healthy");
            }
            assertThat(s.path("environment").path("JAVA_OPTS_APPEND").asText()).as(service + " heap").contains("-Xmx");
        }
        for (String service : Repo.SERVICES.subList(0, 4)) {
            assertThat(services.path("gateway").path("depends_on").path(service).path("condition").asText())
                    .isEqualTo("service_healthy");
        }
        assertThat(services.path("demo-host-agent").path("depends_on").path("demo-host-registration")
                .path("condition").asText()).isEqualTo("service_completed_successfully");
    }
}
