package io.gpumarket.gateway.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublicApiDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void mergesPublicPathsAndKeepsClashingSchemasApart() throws Exception {
        Map<String, JsonNode> docs = new LinkedHashMap<>();
        docs.put("billing-service", JSON.readTree("""
                {"paths": {"/api/v1/accounts": {"post": {"responses": {"201": {"content": {"application/json":
                  {"schema": {"$ref": "#/components/schemas/Accepted"}}}}}}},
                  "/q/health": {"get": {}},
                  "/api/v1/ops/{service}/projections": {"get": {"summary": "billing"}}},
                 "components": {"schemas": {"Accepted": {"type": "object", "properties": {"balance": {"type": "string"}}},
                   "Problem": {"type": "object"}}}}
                """));
        docs.put("rental-service", JSON.readTree("""
                {"paths": {"/api/v1/instances": {"post": {"responses": {"202": {"content": {"application/json":
                  {"schema": {"$ref": "#/components/schemas/Accepted"}}}}}}},
                  "/api/v1/ops/{service}/projections": {"get": {"summary": "rental"}}},
                 "components": {"schemas": {"Accepted": {"type": "object", "properties": {"status": {"type": "string"}}},
                   "Problem": {"type": "object"}}}}
                """));

        JsonNode merged = PublicApiDocument.merge(docs);

        assertThat(merged.path("paths").has("/q/health")).isFalse();
        assertThat(merged.path("paths").has("/api/v1/accounts")).isTrue();
        assertThat(merged.at("/paths/~1api~1v1~1ops~1{service}~1projections/get/summary").asText()).isEqualTo("billing");
        assertThat(merged.at("/paths/~1api~1v1~1instances/post/responses/202/content/application~1json/schema/$ref")
                .asText()).isEqualTo("#/components/schemas/RentalAccepted");
        assertThat(merged.at("/components/schemas/RentalAccepted/properties").has("status")).isTrue();
        assertThat(merged.at("/components/schemas/Accepted/properties").has("balance")).isTrue();
        assertThat(merged.at("/components/schemas").has("RentalProblem")).isFalse(); // the same shape is shared
        assertThat(merged.at("/paths/~1api~1v1~1accounts/post/security").isArray()).isTrue();
        assertThat(merged.at("/paths/~1api~1v1~1accounts/post/security")).isEmpty();
        assertThat(merged.at("/components/securitySchemes/apiKey/scheme").asText()).isEqualTo("bearer");
    }
}
