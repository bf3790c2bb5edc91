package io.gpumarket.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders {@code deploy/k8s} (the base and each overlay) with {@code kubectl kustomize} and reads
 * every object into its Fabric8 or Strimzi model strictly: an unknown kind or an unknown field fails
 * (the models' catch-all maps for unknown fields are switched off). Then checks what a cluster needs
 * of each service and that the topics match the registry.
 */
class KubernetesManifestsTest {
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of("Deployment", Deployment.class,
            "StatefulSet", StatefulSet.class, "Service", Service.class, "ConfigMap", ConfigMap.class, "Secret",
            Secret.class, "Namespace", Namespace.class, "PodDisruptionBudget", PodDisruptionBudget.class, "Ingress",
            Ingress.class, "Kafka", Kafka.class, "KafkaNodePool", KafkaNodePool.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String STRIMZI_API = "kafka.strimzi.io/v1";
    /** Fails on any field the model does not declare, instead of keeping it aside. */
    private static final ObjectMapper STRICT = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated a) {
                    return false;
                }

                @Override
                @SuppressWarnings("deprecation")
                public boolean hasAnySetterAnnotation(com.fasterxml.jackson.databind.introspect.AnnotatedMethod m) {
                    return false;
                }
            });

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/local", "overlays/production"})
    void everyObjectIsValidAndEveryServiceIsProbedLimitedAndUnprivileged(String dir) throws Exception {
        List<HasMetadata> objects = render(dir);

        for (String service : Repo.SERVICES) {
            Deployment d = one(objects, Deployment.class, service);
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(service).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).as(service).isPositive();
            Container c = pod.getContainers().get(0);
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).as(service).isEqualTo("/q/health/ready");
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).as(service).isEqualTo("/q/health/live");
            assertThat(c.getResources().getRequests()).as(service).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).as(service).containsKeys("cpu", "memory");
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(service).isFalse();
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(service).isTrue();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(service).contains("ALL");
            assertThat(c.getEnv().stream().filter(e -> e.getName().equals("QUARKUS_DATASOURCE_PASSWORD")))
                    .as(service + " takes the database password from a Secret")
                    .allSatisfy(e -> assertThat(e.getValueFrom().getSecretKeyRef()).isNotNull()).hasSize(1);
            if (!dir.equals("overlays/local")) {
                assertThat(d.getSpec().getReplicas()).as(service + " replicas").isEqualTo(2);
            }
            one(objects, Service.class, service);
            assertThat(one(objects, PodDisruptionBudget.class, service).getSpec().getMinAvailable()).isNotNull();
        }
        StatefulSet postgres = one(objects, StatefulSet.class, "postgres");
        PodSpec pg = postgres.getSpec().getTemplate().getSpec();
        assertThat(pg.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pg.getContainers().get(0).getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(pg.getContainers().get(0).getReadinessProbe()).isNotNull();
        assertThat(one(objects, Ingress.class, "gateway").getSpec().getRules().get(0).getHttp().getPaths().get(0)
                .getBackend().getService().getName()).isEqualTo("gateway");
        assertThat(one(objects, Kafka.class, "gpumarket").getSpec().getKafka().getListeners()).isNotEmpty();
        one(objects, KafkaNodePool.class, "dual-role");
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/local", "overlays/production"})
    void everyTopicOfTheRegistryHasAKafkaTopicWithItsPartitionsAndRetention(String dir) throws Exception {
        Map<String, KafkaTopic> topics = render(dir).stream().filter(o -> o instanceof KafkaTopic)
                .map(o -> (KafkaTopic) o).collect(Collectors.toMap(t -> t.getMetadata().getName(), t -> t));
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(
                Topics.all().stream().map(TopicSpec::name).toList());
        for (TopicSpec<?> spec : Topics.all()) {
            KafkaTopic t = topics.get(spec.name());
            assertThat(t.getSpec().getPartitions()).as(spec.name()).isEqualTo(spec.partitions());
            assertThat(String.valueOf(t.getSpec().getConfig().get("retention.ms"))).as(spec.name())
                    .isEqualTo(Long.toString(spec.retentionMs()));
            assertThat(t.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "gpumarket");
            assertThat(t.getSpec().getReplicas()).isEqualTo(dir.equals("overlays/production") ? 3 : 1);
        }
    }

    @org.junit.jupiter.api.Test
    void strictReadingRefusesAFieldTheModelDoesNotHave() throws Exception {
        JsonNode typo = YAML.readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec: {replica: 2}
                """);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> STRICT.treeToValue(typo, Deployment.class))
                .hasMessageContaining("replica");
        JsonNode topic = YAML.readTree("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: x}
                spec: {partition: 6}
                """);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> STRICT.treeToValue(topic, KafkaTopic.class))
                .hasMessageContaining("partition");
    }

    private static List<HasMetadata> render(String dir) throws Exception {
        String yaml = Repo.run("kubectl", "kustomize", "deploy/k8s/" + dir);
        List<HasMetadata> objects = new ArrayList<>();
        for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
            if (doc == null || doc.isNull() || doc.isEmpty()) {
                continue;
            }
            String kind = doc.path("kind").asText();
            Class<? extends HasMetadata> type = kind.equals("KafkaTopic") ? KafkaTopic.class : KINDS.get(kind);
            assertThat(type).as("a known kind: " + kind).isNotNull();
            HasMetadata object = STRICT.treeToValue(doc, type);
            // Strimzi's kinds are deployed in its v1 API (v1beta2 is deprecated); the others in the model's version
            String version = type.getPackageName().startsWith("io.strimzi") ? STRIMZI_API : object.getApiVersion();
            assertThat(doc.path("apiVersion").asText()).as(kind).isEqualTo(version);
            objects.add(object);
        }
        return objects;
    }

    private static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> o.getMetadata().getName().equals(name)).toList();
        assertThat(found).as(type.getSimpleName() + " " + name).hasSize(1);
        return found.get(0);
    }
}
