package dev.shardkv.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code /v1/admin}: splits and merges started (202, Location, the operation without the runtime's resume point
 * or the store's version), followed, listed and aborted; every bad request refused with its own problem type and
 * nothing started. Over {@link FakeReshards}: the real planner and the operation store's refusals, no data moved.
 */
@QuarkusTest
class AdminApiTest {
    static final List<String> FIELDS = List.of("id", "kind", "state", "sources", "targets", "replica", "replicaTable",
            "progress", "etaMs",
            "writePauseMs", "fromEpoch", "toEpoch", "error", "result", "createdAt", "updatedAt");

    @Inject
    FakeReshards reshards;

    @BeforeEach
    void noOperations() {
        reshards.reset();
    }

    static RequestSpecification json(String body) {
        return given().contentType("application/json").body(body);
    }

    static Response split(String body) {
        return json(body).when().post("/v1/admin/splits");
    }

    static Response merge(String body) {
        return json(body).when().post("/v1/admin/merges");
    }

    static List<Map<String, Object>> operations() {
        return given().when().get("/v1/admin/operations").then().statusCode(200).extract().jsonPath()
                .getList("operations");
    }

    @Test
    void aSplitIsAcceptedWithItsLocationAndTheOperation() {
        long before = System.currentTimeMillis();
        Response started = split("{\"shard\": \"a-l\", \"at\": \"g\"}");
        started.then().statusCode(202).contentType("application/json")
                .body("kind", equalTo("split"))
                .body("state", equalTo("copying"))
                .body("sources", equalTo(List.of("a-l")))
                .body("targets", equalTo(List.of("a-f", "g-l")))
                .body("progress", equalTo(Map.of("copied", 0, "total", 0, "behind", 0)))
                .body("etaMs", nullValue())
                .body("writePauseMs", nullValue())
                .body("error", nullValue())
                .body("fromEpoch", equalTo(1))
                .body("toEpoch", equalTo(2));
        String id = started.jsonPath().getString("id");
        assertThat(id).matches("op-[0-9]{13}-[a-z2-7]{8}");
        assertThat(started.header("Location")).isEqualTo("/v1/admin/operations/" + id);
        Map<String, Object> body = started.jsonPath().getMap("");
        assertThat(body.keySet()).as("the operation as the API shows it: no resume point, no store version")
                .containsExactlyElementsOf(FIELDS);
        assertThat(started.jsonPath().getLong("createdAt")).isGreaterThanOrEqualTo(before)
                .isEqualTo(started.jsonPath().getLong("updatedAt"));

        given().when().get(started.header("Location")).then().statusCode(200)
                .body("id", equalTo(id)).body("state", equalTo("copying"));
        assertThat(given().when().get("/v1/admin/operations/" + id).then().extract().jsonPath().getMap(""))
                .isEqualTo(body);
    }

    @Test
    void theIdsOfTheHalvesMayBeGiven() {
        split("{\"shard\": \"m-s\", \"at\": \"p\", \"ids\": [\"m-left\", \"m-right\"]}").then().statusCode(202)
                .body("targets", equalTo(List.of("m-left", "m-right")));
    }

    @Test
    void aMergeIsAcceptedWithItsLocation() {
        Response started = merge("{\"shards\": [\"m-s\", \"a-l\"]}");
        started.then().statusCode(202)
                .body("kind", equalTo("merge"))
                .body("state", equalTo("copying"))
                .body("sources", equalTo(List.of("a-l", "m-s")))
                .body("targets", equalTo(List.of("a-s")));
        assertThat(started.header("Location")).isEqualTo("/v1/admin/operations/" + started.jsonPath().getString("id"));
        reshards.reset();
        merge("{\"shards\": [\"a-l\", \"m-s\"], \"id\": \"a-to-s\"}").then().statusCode(202)
                .body("targets", equalTo(List.of("a-to-s")));
    }

    @Test
    void aVerificationIsAcceptedWithItsLocationAndHoldsItsShards() {
        Response started = json("{\"shard\": \"a-l\", \"repair\": true}").when().post("/v1/admin/verifications");
        started.then().statusCode(202)
                .header("Location", startsWith("/v1/admin/operations/op-"))
                .body("kind", equalTo("verify"))
                .body("state", equalTo("verifying"))
                .body("sources", equalTo(List.of("a-l")))
                .body("targets", equalTo(List.of()))
                .body("result.repair", equalTo(true))
                .body("result.replicas", equalTo(List.of()));
        split("{\"shard\": \"a-l\", \"at\": \"g\"}").then().statusCode(409)
                .body("type", equalTo("urn:shardkv:problem:operation-conflict"));
        json("{}").when().post("/v1/admin/verifications").then().statusCode(409); // every shard: a-l is held

        reshards.abort(started.jsonPath().getString("id"));
        json("{}").when().post("/v1/admin/verifications").then().statusCode(202)
                .body("sources.size()", equalTo(3))
                .body("result.repair", equalTo(false));
    }

    @Test
    void operationsAreListedNewestFirst() {
        assertThat(operations()).isEmpty();
        String first = split("{\"shard\": \"a-l\", \"at\": \"g\"}").then().statusCode(202).extract().path("id");
        String second = split("{\"shard\": \"t-z\", \"at\": \"w\"}").then().statusCode(202).extract().path("id");
        String third = merge("{\"shards\": [\"m-s\", \"t-z\"]}").then().statusCode(409).extract().path("type");
        assertThat(third).isEqualTo("urn:shardkv:problem:operation-conflict");
        JsonPath list = given().when().get("/v1/admin/operations").then().statusCode(200).extract().jsonPath();
        assertThat(list.getList("operations.id", String.class)).containsExactly(second, first);
        assertThat(list.getMap("operations[0]").keySet()).containsExactlyElementsOf(FIELDS);
    }

    @Test
    void anUnknownOperationIs404() {
        given().when().get("/v1/admin/operations/op-1764571200000-k7q2mzpa").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:shardkv:problem:unknown-operation"))
                .body("operation", equalTo("op-1764571200000-k7q2mzpa"));
        given().when().get("/v1/admin/operations/not-an-id").then().statusCode(404)
                .body("type", equalTo("urn:shardkv:problem:unknown-operation"))
                .body("detail", containsString("op-1764571200000-k7q2mzpa"));
        given().when().delete("/v1/admin/operations/op-1764571200000-k7q2mzpa").then().statusCode(404)
                .body("type", equalTo("urn:shardkv:problem:unknown-operation"));
    }

    @Test
    void anAbortBeforeTheCutoverEndsTheOperationAndFreesItsShards() {
        String id = split("{\"shard\": \"a-l\", \"at\": \"g\"}").then().statusCode(202).extract().path("id");
        split("{\"shard\": \"a-l\", \"at\": \"c\"}").then().statusCode(409)
                .body("type", equalTo("urn:shardkv:problem:operation-conflict"))
                .body("shard", equalTo("a-l")).body("operation", equalTo(id));
        reshards.advance(id); // catching-up: still before the cutover

        Response aborted = given().when().delete("/v1/admin/operations/" + id);
        aborted.then().statusCode(200).contentType("application/json")
                .body("id", equalTo(id)).body("state", equalTo("aborted")).body("etaMs", nullValue());
        assertThat(aborted.jsonPath().getMap("").keySet()).containsExactlyElementsOf(FIELDS);
        given().when().get("/v1/admin/operations/" + id).then().statusCode(200).body("state", equalTo("aborted"));

        given().when().delete("/v1/admin/operations/" + id).then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:shardkv:problem:operation-state"))
                .body("state", equalTo("aborted"));
        split("{\"shard\": \"a-l\", \"at\": \"c\"}").then().statusCode(202); // its lock is gone
    }

    @Test
    void fromTheCutoverOnAnAbortIsRefused() {
        String id = merge("{\"shards\": [\"a-l\", \"m-s\"]}").then().statusCode(202).extract().path("id");
        reshards.advance(id);
        reshards.advance(id);
        reshards.advance(id); // cutting-over
        given().when().delete("/v1/admin/operations/" + id).then().statusCode(409)
                .body("type", equalTo("urn:shardkv:problem:operation-state"))
                .body("state", equalTo("cutting-over"))
                .body("detail", containsString("only before the cutover"));
        given().when().get("/v1/admin/operations/" + id).then().statusCode(200).body("state", equalTo("cutting-over"));
    }

    @Test
    void aReplicaIsAddedAndTheLastOneRemovedAsOperations() {
        Response added = given().when().post("/v1/admin/shards/a-l/replicas");
        added.then().statusCode(202)
                .header("Location", startsWith("/v1/admin/operations/op-"))
                .body("kind", equalTo("add-replica"))
                .body("state", equalTo("copying"))
                .body("sources", equalTo(List.of("a-l")))
                .body("targets", equalTo(List.of("a-l")))
                .body("replica", equalTo(3))
                .body("replicaTable", equalTo("test-a-l-replica-3"))
                .body("fromEpoch", equalTo(1))
                .body("toEpoch", equalTo(2));
        assertThat(added.jsonPath().getMap("").keySet()).containsExactlyElementsOf(FIELDS);
        given().when().post("/v1/admin/shards/a-l/replicas").then().statusCode(409)
                .body("type", equalTo("urn:shardkv:problem:operation-conflict"));
        given().when().delete("/v1/admin/shards/a-l/replicas/2").then().statusCode(409)
                .body("type", equalTo("urn:shardkv:problem:operation-conflict"));

        given().when().delete("/v1/admin/shards/m-s/replicas/2").then().statusCode(202)
                .body("kind", equalTo("remove-replica"))
                .body("state", equalTo("cutting-over"))
                .body("replica", equalTo(2))
                .body("replicaTable", equalTo("test-m-s-replica-2"));
        assertThat(operations()).hasSize(2);
        split("{\"shard\": \"t-z\", \"at\": \"w\"}").then().statusCode(202)
                .body("replica", nullValue()).body("replicaTable", nullValue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replicaRefusals")
    void aBadReplicaChangeIsRefusedAndStartsNothing(String name, String method, String path, int status, String type) {
        given().when().request(method, path).then().statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:shardkv:problem:" + type))
                .body("detail", not(emptyOrNullString()));
        assertThat(operations()).as("nothing started").isEmpty();
    }

    static Stream<Arguments> replicaRefusals() {
        return Stream.of(
                Arguments.of("add to an unknown shard", "POST", "/v1/admin/shards/a-z/replicas", 404, "unknown-shard"),
                Arguments.of("remove from an unknown shard", "DELETE", "/v1/admin/shards/a-z/replicas/2", 404, "unknown-shard"),
                Arguments.of("remove a replica before the last", "DELETE", "/v1/admin/shards/a-l/replicas/1", 400,
                        "invalid-reshard"),
                Arguments.of("remove a replica the shard lacks", "DELETE", "/v1/admin/shards/a-l/replicas/3", 404,
                        "unknown-replica"),
                Arguments.of("remove replica 0", "DELETE", "/v1/admin/shards/a-l/replicas/0", 404, "unknown-replica"),
                Arguments.of("remove replica -1", "DELETE", "/v1/admin/shards/a-l/replicas/-1", 404, "unknown-replica"),
                Arguments.of("remove replica x", "DELETE", "/v1/admin/shards/a-l/replicas/x", 404, "unknown-replica"),
                Arguments.of("remove a huge replica number", "DELETE", "/v1/admin/shards/a-l/replicas/99999999999", 404,
                        "unknown-replica"),
                Arguments.of("get the replicas", "GET", "/v1/admin/shards/a-l/replicas", 405, "method-not-allowed"),
                Arguments.of("put a replica", "PUT", "/v1/admin/shards/a-l/replicas/2", 405, "method-not-allowed"));
    }

    @Test
    void adminPathsTakeOnlyTheirMethods() {
        given().when().get("/v1/admin/splits").then().statusCode(405)
                .body("type", equalTo("urn:shardkv:problem:method-not-allowed"))
                .header("Allow", containsString("POST"));
        given().when().put("/v1/admin/operations/op-1764571200000-k7q2mzpa").then().statusCode(405)
                .header("Allow", containsString("DELETE"));
    }

    record Bad(String name, String path, String contentType, String body, int status, String type) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Bad split(String name, String body, int status, String type) {
        return new Bad(name, "/v1/admin/splits", "application/json", body, status, type);
    }

    static Bad merge(String name, String body, int status, String type) {
        return new Bad(name, "/v1/admin/merges", "application/json", body, status, type);
    }

    static Bad verify(String name, String body, int status, String type) {
        return new Bad(name, "/v1/admin/verifications", "application/json", body, status, type);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                // The body's shape, checked by the API.
                verify("verify body not JSON", "{\"shard\":", 400, "invalid-json"),
                verify("verify body empty", "", 400, "invalid-json"),
                verify("verify body null", "null", 400, "invalid-request"),
                verify("verify body an array", "[\"a-l\"]", 400, "invalid-request"),
                verify("verify shard a number", "{\"shard\": 1}", 400, "invalid-request"),
                verify("verify shard blank", "{\"shard\": \" \"}", 400, "invalid-request"),
                verify("verify repair a string", "{\"repair\": \"true\"}", 400, "invalid-request"),
                verify("verify repair a number", "{\"repair\": 1}", 400, "invalid-request"),
                verify("verify unknown shard", "{\"shard\": \"a-z\"}", 404, "unknown-shard"),
                split("split body not JSON", "{\"shard\":", 400, "invalid-json"),
                split("split body empty", "", 400, "invalid-json"),
                split("split duplicate field", "{\"shard\": \"a-l\", \"shard\": \"m-s\", \"at\": \"g\"}", 400, "invalid-json"),
                split("split body null", "null", 400, "invalid-request"),
                split("split body an array", "[\"a-l\"]", 400, "invalid-request"),
                split("split body a string", "\"a-l\"", 400, "invalid-request"),
                split("split without shard", "{\"at\": \"g\"}", 400, "invalid-request"),
                split("split with shard null", "{\"shard\": null, \"at\": \"g\"}", 400, "invalid-request"),
                split("split with an empty shard", "{\"shard\": \"\", \"at\": \"g\"}", 400, "invalid-request"),
                split("split with a blank shard", "{\"shard\": \"  \", \"at\": \"g\"}", 400, "invalid-request"),
                split("split with shard a number", "{\"shard\": 5, \"at\": \"g\"}", 400, "invalid-request"),
                split("split with shard a list", "{\"shard\": [\"a-l\"], \"at\": \"g\"}", 400, "invalid-request"),
                split("split with at a number", "{\"shard\": \"a-l\", \"at\": 7}", 400, "invalid-request"),
                split("split with ids a string", "{\"shard\": \"a-l\", \"at\": \"g\", \"ids\": \"a-f\"}", 400, "invalid-request"),
                split("split with an id a number", "{\"shard\": \"a-l\", \"at\": \"g\", \"ids\": [\"a-f\", 3]}", 400, "invalid-request"),
                split("split with an id null", "{\"shard\": \"a-l\", \"at\": \"g\", \"ids\": [\"a-f\", null]}", 400, "invalid-request"),
                new Bad("split as text/plain", "/v1/admin/splits", "text/plain", "{\"shard\": \"a-l\", \"at\": \"g\"}", 415,
                        "unsupported-media-type"),
                // What the shard map does not allow, refused by the planner.
                split("split of an unknown shard", "{\"shard\": \"nope\", \"at\": \"g\"}", 404, "unknown-shard"),
                split("range split without at", "{\"shard\": \"a-l\"}", 400, "invalid-reshard"),
                split("split at an empty key", "{\"shard\": \"a-l\", \"at\": \"\"}", 400, "invalid-reshard"),
                split("split at a key outside", "{\"shard\": \"a-l\", \"at\": \"q\"}", 400, "invalid-reshard"),
                split("split at the start", "{\"shard\": \"m-s\", \"at\": \"m\"}", 400, "invalid-reshard"),
                split("split at the end", "{\"shard\": \"m-s\", \"at\": \"t\"}", 400, "invalid-reshard"),
                split("split at an upper-case key", "{\"shard\": \"a-l\", \"at\": \"G\"}", 400, "invalid-reshard"),
                split("split with one id", "{\"shard\": \"a-l\", \"at\": \"g\", \"ids\": [\"a-f\"]}", 400, "invalid-reshard"),
                split("split with the same id twice", "{\"shard\": \"a-l\", \"at\": \"g\", \"ids\": [\"x-1\", \"x-1\"]}", 400,
                        "invalid-reshard"),
                split("split with an id breaking the rule", "{\"shard\": \"a-l\", \"at\": \"g\", \"ids\": [\"A F\", \"g-l\"]}", 400,
                        "invalid-reshard"),
                split("split with a live shard's id", "{\"shard\": \"a-l\", \"at\": \"g\", \"ids\": [\"a-f\", \"m-s\"]}", 409,
                        "shard-exists"),
                // Merges.
                merge("merge body not JSON", "{\"shards\": [", 400, "invalid-json"),
                merge("merge body null", "null", 400, "invalid-request"),
                merge("merge without shards", "{\"id\": \"a-s\"}", 400, "invalid-request"),
                merge("merge with shards a string", "{\"shards\": \"a-l,m-s\"}", 400, "invalid-request"),
                merge("merge with a shard a number", "{\"shards\": [\"a-l\", 1]}", 400, "invalid-request"),
                merge("merge with a shard null", "{\"shards\": [\"a-l\", null]}", 400, "invalid-request"),
                merge("merge with a blank shard", "{\"shards\": [\"a-l\", \" \"]}", 400, "invalid-request"),
                merge("merge with id a number", "{\"shards\": [\"a-l\", \"m-s\"], \"id\": 5}", 400, "invalid-request"),
                merge("merge of one shard", "{\"shards\": [\"a-l\"]}", 400, "invalid-reshard"),
                merge("merge of three shards", "{\"shards\": [\"a-l\", \"m-s\", \"t-z\"]}", 400, "invalid-reshard"),
                merge("merge of a shard with itself", "{\"shards\": [\"a-l\", \"a-l\"]}", 400, "invalid-reshard"),
                merge("merge of shards not adjacent", "{\"shards\": [\"a-l\", \"t-z\"]}", 400, "invalid-reshard"),
                merge("merge with an unknown shard", "{\"shards\": [\"a-l\", \"nope\"]}", 404, "unknown-shard"),
                merge("merge into a live shard's id", "{\"shards\": [\"a-l\", \"m-s\"], \"id\": \"t-z\"}", 409, "shard-exists"),
                merge("merge into a bad id", "{\"shards\": [\"a-l\", \"m-s\"], \"id\": \"\"}", 400, "invalid-reshard"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void isRefusedWithItsProblemAndStartsNothing(Bad bad) {
        given().contentType(bad.contentType()).body(bad.body()).when().post(bad.path())
                .then().statusCode(bad.status())
                .contentType("application/problem+json")
                .body("type", equalTo("urn:shardkv:problem:" + bad.type()))
                .body("status", equalTo(bad.status()))
                .body("title", not(emptyOrNullString()))
                .body("detail", not(emptyOrNullString()));
        assertThat(operations()).as("nothing started").isEmpty();
    }
}
