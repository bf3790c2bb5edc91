package io.gpumarket.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpumarket.events.serde.EventJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small JSON client for the gateway's REST API, used by the stack's demo set-up and the end-to-end tests. */
public final class Http {
    private static final ObjectMapper JSON = EventJson.mapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    public Http(URI base) {
        this.base = base;
    }

    /** An answer: status, the JSON body (or a null node), and the raw headers. */
    public record Answer(int status, JsonNode body, Map<String, java.util.List<String>> headers) {
        public String text(String field) {
            JsonNode n = body.get(field);
            return n == null || n.isNull() ? null : n.asText();
        }

        public Answer expect(int wanted) {
            if (status != wanted) {
                throw new IllegalStateException("expected " + wanted + " but got " + status + ": " + body);
            }
            return this;
        }
    }

    public Answer get(String path, String key) {
        return send("GET", path, key, null, Map.of());
    }

    public Answer post(String path, String key, Object body) {
        return send("POST", path, key, body, Map.of());
    }

    public Answer put(String path, String key, Object body) {
        return send("PUT", path, key, body, Map.of());
    }

    public Answer delete(String path, String key) {
        return send("DELETE", path, key, null, Map.of());
    }

    public Answer send(String method, String path, String key, Object body, Map<String, String> headers) {
        try {
            var builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
            if (key != null) {
                builder.header("Authorization", "Bearer " + key);
            }
            headers.forEach(builder::header);
            if (body != null) {
                String text = body instanceof String s ? s : JSON.writeValueAsString(body);
                builder.header("Content-Type", "application/json");
                builder.method(method, HttpRequest.BodyPublishers.ofString(text));
            } else {
                builder.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isBlank() ? JSON.nullNode() : parse(response.body());
            return new Answer(response.statusCode(), json, response.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }
}
