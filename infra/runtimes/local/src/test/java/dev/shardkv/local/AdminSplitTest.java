package dev.shardkv.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A split over HTTP, as a user runs it: 202 and Location, the operation followed to done with its
 * progress and write pause, the map at epoch 2 with the halves, the data where it was; then a done
 * operation refuses an abort (409), and an unknown one is 404. Its own server (a profile of its own),
 * so that the other tests keep the topology's three shards.
 */
@QuarkusTest
@TestProfile(AdminSplitTest.OwnServer.class)
class AdminSplitTest {

    public static class OwnServer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("shardkv.replication.heartbeat-interval", "200ms");
        }
    }

    @Test
    void aSplitRunsToDoneOverTheAdminApi() throws InterruptedException {
        for (String key : List.of("alpha", "golf", "hotel", "kilo")) {
            given().contentType("application/json").body("\"" + key + "\"").when().put("/v1/kv/" + key).then().statusCode(201);
        }
        Response started = given().contentType("application/json").body("{\"shard\":\"a-l\",\"at\":\"g\"}")
                .when().post("/v1/admin/splits");
        started.then().statusCode(202).body("kind", equalTo("split")).body("state", equalTo("copying"))
                .body("sources", equalTo(List.of("a-l"))).body("targets", equalTo(List.of("a-f", "g-l")))
                .body("fromEpoch", equalTo(1)).body("toEpoch", equalTo(2)).body("resume", nullValue())
                .body("version", nullValue());
        String id = started.jsonPath().getString("id");
        assertThat(started.header("Location")).isEqualTo("/v1/admin/operations/" + id);

        JsonPath op = started.jsonPath();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!List.of("done", "failed", "aborted").contains(op.getString("state")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            op = given().when().get("/v1/admin/operations/" + id).then().statusCode(200).extract().jsonPath();
        }
        assertThat(op.getString("state")).as(String.valueOf(op.getString("error"))).isEqualTo("done");
        assertThat(op.getLong("progress.copied")).isGreaterThanOrEqualTo(4);
        assertThat(op.getLong("writePauseMs")).isNotNull().isGreaterThanOrEqualTo(0);
        assertThat(given().when().get("/v1/admin/operations").then().statusCode(200).extract()
                .jsonPath().getList("operations.id")).contains(id);

        JsonPath map = given().when().get("/v1/shards").then().statusCode(200).extract().jsonPath();
        assertThat(map.getLong("epoch")).isEqualTo(2);
        assertThat(map.getList("shards.id")).containsExactly("a-f", "g-l", "m-s", "t-z");
        given().queryParam("consistency", "strong").when().get("/v1/kv/hotel").then().statusCode(200)
                .header("X-Shard", "g-l").body("value", equalTo("hotel")).body("version", equalTo(1));
        given().contentType("application/json").body("\"alpha2\"").header("If-Match", "\"1\"")
                .when().put("/v1/kv/alpha").then().statusCode(200).header("X-Shard", "a-f").header("ETag", "\"2\"");

        long metricsDeadline = System.nanoTime() + 10_000_000_000L;
        String metrics = "";
        while (!metrics.contains("shard=\"a-f\"") && System.nanoTime() < metricsDeadline) {
            Thread.sleep(100);
            metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        }
        assertThat(metrics.lines().filter(l -> l.startsWith("ReplicaLagMs{") && l.contains("shard=\"a-f\"")))
                .as("the new shards' metrics").hasSize(2);

        given().when().delete("/v1/admin/operations/" + id).then().statusCode(409)
                .body("type", equalTo("urn:shardkv:problem:operation-state"));
        given().when().get("/v1/admin/operations/op-1764571200000-k7q2mzpa").then().statusCode(404)
                .body("type", equalTo("urn:shardkv:problem:unknown-operation"));
    }
}
