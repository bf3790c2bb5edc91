package io.gpumarket.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one OpenAPI document of the public API, served by the gateway at
 * {@code /api/v1/openapi.json} (and shown by its Swagger UI): the {@code /api/v1} paths of every
 * service's own document ({@code /q/openapi}), merged, with their schemas. A schema name two
 * services use for different shapes is kept apart by prefixing the later service's name. Every
 * operation needs an API key (bearer), except opening an account and the agent channel.
 */
public final class PublicApiDocument {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PublicApiDocument() {}

    /** Fetches each service's document and merges them, in the order given. */
    public static Future<ObjectNode> fetch(HttpClient client, Map<String, URI> services, Duration timeout) {
        List<Future<JsonNode>> docs = new ArrayList<>();
        for (URI base : services.values()) {
            var options = new RequestOptions().setMethod(HttpMethod.GET).setHost(base.getHost()).setPort(base.getPort())
                    .setURI("/q/openapi?format=json").setTimeout(timeout.toMillis())
                    .addHeader("Accept", "application/json");
            docs.add(client.request(options).compose(r -> r.send()).compose(r -> r.body()).map(b -> {
                try {
                    return JSON.readTree(b.getBytes());
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("unreadable OpenAPI document from " + base, e);
                }
            }));
        }
        return Future.all(docs).map(all -> {
            Map<String, JsonNode> byService = new LinkedHashMap<>();
            int i = 0;
            for (String name : services.keySet()) {
                byService.put(name, all.resultAt(i++));
            }
            return merge(byService);
        });
    }

    /** Merges the services' documents (service name → document) into one. */
    public static ObjectNode merge(Map<String, JsonNode> byService) {
        ObjectNode out = JSON.createObjectNode();
        out.put("openapi", "3.0.3");
        out.putObject("info").put("title", "gpumarket API").put("version", "v1").put("description",
                "The public REST API of the gpumarket GPU marketplace, through the gateway. Authenticate with "
                        + "Authorization: Bearer <apiKey>. Errors are application/problem+json.");
        ObjectNode paths = out.putObject("paths");
        ObjectNode schemas = JSON.createObjectNode();
        for (var service : byService.entrySet()) {
            JsonNode doc = prefixConflicts(service.getKey(), service.getValue(), schemas);
            JsonNode theirs = doc.path("components").path("schemas");
            theirs.fields().forEachRemaining(s -> schemas.putIfAbsent(s.getKey(), s.getValue()));
            for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext();) {
                var p = it.next();
                if (!p.getKey().startsWith("/api/v1/")) {
                    continue;
                }
                ObjectNode merged = paths.has(p.getKey()) ? (ObjectNode) paths.get(p.getKey()) : paths.putObject(p.getKey());
                p.getValue().fields().forEachRemaining(op -> merged.putIfAbsent(op.getKey(), op.getValue()));
            }
        }
        ObjectNode components = out.putObject("components");
        components.set("schemas", schemas);
        components.putObject("securitySchemes").putObject("apiKey").put("type", "http").put("scheme", "bearer")
                .put("description", "an API key of the account (or an operator's for /api/v1/ops)");
        out.putArray("security").addObject().putArray("apiKey");
        ObjectNode open = paths.path("/api/v1/accounts").path("post") instanceof ObjectNode o ? o : null;
        if (open != null) {
            open.putArray("security");
        }
        return out;
    }

    /** The service's document with every schema that clashes with one already merged renamed. */
    private static JsonNode prefixConflicts(String service, JsonNode doc, ObjectNode merged) {
        Map<String, String> renames = new LinkedHashMap<>();
        doc.path("components").path("schemas").fields().forEachRemaining(s -> {
            if (merged.has(s.getKey()) && !merged.get(s.getKey()).equals(s.getValue())) {
                String prefix = service.replace("-service", "").replace("-", "");
                renames.put(s.getKey(), Character.toUpperCase(prefix.charAt(0)) + prefix.substring(1) + s.getKey());
            }
        });
        if (renames.isEmpty()) {
            return doc;
        }
        JsonNode copy = doc.deepCopy();
        rewriteRefs(copy, renames);
        if (copy.path("components").path("schemas") instanceof ObjectNode schemas) {
            ObjectNode renamed = JSON.createObjectNode();
            schemas.fields().forEachRemaining(s -> renamed.set(renames.getOrDefault(s.getKey(), s.getKey()), s.getValue()));
            ((ObjectNode) copy.get("components")).set("schemas", renamed);
        }
        return copy;
    }

    private static void rewriteRefs(JsonNode node, Map<String, String> renames) {
        if (node instanceof ObjectNode o) {
            JsonNode ref = o.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#/components/schemas/")) {
                String name = ref.asText().substring("#/components/schemas/".length());
                if (renames.containsKey(name)) {
                    o.put("$ref", "#/components/schemas/" + renames.get(name));
                }
            }
        }
        node.forEach(child -> rewriteRefs(child, renames));
    }
}
