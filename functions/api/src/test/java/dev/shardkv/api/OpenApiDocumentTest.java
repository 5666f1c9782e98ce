package dev.shardkv.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the runtime serves: every operation named and its refusals described as
 * problem+json, a security scheme and a server declared, and values published as any JSON value
 * rather than as the internals of Jackson's JsonNode.
 */
@QuarkusTest
class OpenApiDocumentTest {
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    /** Bean properties of JsonNode that a schema generator publishes when it is handed the class. */
    static final Set<String> JSON_NODE_INTERNALS = Set.of("containerNode", "valueNode", "missingNode", "nodeType",
            "pojo", "integralNumber", "floatingPointNumber", "textual", "bigDecimal", "bigInteger", "binary");

    JsonNode document;

    @BeforeEach
    void fetch() throws Exception {
        String json = given().when().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        document = new ObjectMapper().readTree(json);
    }

    record Op(String name, JsonNode operation) {
    }

    List<Op> operations() {
        List<Op> ops = new ArrayList<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            if (METHODS.contains(method.getKey())) {
                ops.add(new Op(method.getKey().toUpperCase() + " " + path.getKey(), method.getValue()));
            }
        }));
        return ops;
    }

    @Test
    void everyOperationHasAUniqueOperationIdAndItsRefusalsAsProblemJson() {
        List<Op> ops = operations();
        assertThat(ops).extracting(Op::name).contains("PUT /v1/kv/{key}", "GET /v1/kv/{key}", "DELETE /v1/kv/{key}",
                "POST /v1/kv:batchGet", "POST /v1/tx", "GET /v1/query/scan", "GET /v1/shards", "GET /v1/replication",
                "POST /v1/admin/splits", "POST /v1/admin/merges", "GET /v1/admin/operations",
                "GET /v1/admin/operations/{id}", "DELETE /v1/admin/operations/{id}");
        Set<String> ids = new HashSet<>();
        for (Op op : ops) {
            String id = op.operation().path("operationId").asText("");
            assertThat(id).as("operationId of %s", op.name()).isNotBlank();
            assertThat(ids.add(id)).as("operationId %s of %s is unique", id, op.name()).isTrue();
            List<String> codes = new ArrayList<>();
            op.operation().get("responses").fieldNames().forEachRemaining(codes::add);
            assertThat(codes).as("responses of %s", op.name()).anyMatch(c -> c.startsWith("4"));
            for (String code : codes) {
                if (code.startsWith("4") || code.startsWith("5")) {
                    JsonNode content = resolve(op.operation().get("responses").get(code)).path("content");
                    assertThat(content.path("application/problem+json").path("schema").path("$ref").asText())
                            .as("%s answers %s as problem+json", op.name(), code).isEqualTo("#/components/schemas/Problem");
                }
            }
        }
    }

    @Test
    void aSecuritySchemeAndAServerAreDeclared() {
        JsonNode bearer = document.path("components").path("securitySchemes").path("bearer");
        assertThat(bearer.path("type").asText()).isEqualTo("http");
        assertThat(bearer.path("scheme").asText()).isEqualTo("bearer");
        assertThat(bearer.path("description").asText()).contains("--token", "Signature Version 4", "JWT");
        assertThat(document.path("security").toString()).contains("bearer");
        assertThat(document.path("servers")).isNotEmpty();
    }

    @Test
    void valuesAreAnyJsonValueNotJacksonsInternals() {
        List<String> names = new ArrayList<>();
        collectPropertyNames(document, names);
        assertThat(names).doesNotContainAnyElementsOf(JSON_NODE_INTERNALS);
        assertThat(document.path("components").path("schemas").fieldNames()).toIterable()
                .doesNotContain("JsonNode", "ObjectNode", "ArrayNode", "JsonNodeType");
        JsonNode item = document.path("components").path("schemas").path("Item").path("properties").path("value");
        assertThat(item.has("type")).as("an item's value has no type: any JSON value").isFalse();
        assertThat(item.has("$ref")).isFalse();
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).isNotEmpty().allSatisfy(ref -> assertThat(document.at(ref.substring(1)).isMissingNode())
                .as("%s resolves", ref).isFalse());
    }

    JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
    }

    static void collectPropertyNames(JsonNode node, List<String> names) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getKey().equals("properties") && field.getValue().isObject()) {
                    field.getValue().fieldNames().forEachRemaining(names::add);
                }
                collectPropertyNames(field.getValue(), names);
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectPropertyNames(child, names));
        }
    }

    static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getKey().equals("$ref")) {
                    refs.add(field.getValue().asText());
                }
                collectRefs(field.getValue(), refs);
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }
}
