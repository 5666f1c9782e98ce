package dev.shardkv.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A replica added and removed over HTTP, as a user runs it: followed to done, the map listing it (epoch + 1),
 * its metrics and last verification there; then removed, the map without it. Its own server, so that the other
 * tests keep the topology's replicas.
 */
@QuarkusTest
@TestProfile(AdminReplicaTest.OwnServer.class)
class AdminReplicaTest {

    public static class OwnServer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("shardkv.replication.heartbeat-interval", "200ms");
        }
    }

    @Test
    void aReplicaIsAddedThenRemovedOverTheAdminApi() throws InterruptedException {
        for (String key : List.of("mike", "november", "oscar", "papa")) {
            given().contentType("application/json").body("\"" + key + "\"").when().put("/v1/kv/" + key).then().statusCode(201);
        }
        long epoch = given().when().get("/v1/shards").then().extract().jsonPath().getLong("epoch");
        JsonPath added = follow(given().when().post("/v1/admin/shards/m-s/replicas"));
        assertThat(added.getString("kind")).isEqualTo("add-replica");
        assertThat(added.getLong("progress.copied")).as("the leader's items, heartbeat too").isGreaterThanOrEqualTo(4);

        JsonPath map = given().when().get("/v1/shards").then().statusCode(200).extract().jsonPath();
        assertThat(map.getLong("epoch")).isEqualTo(epoch + 1);
        assertThat(map.getList("shards.find { it.id == 'm-s' }.replicas.table"))
                .containsExactly("test-m-s-replica-1", "test-m-s-replica-2", "test-m-s-replica-3");
        JsonPath replication = given().when().get("/v1/replication").then().statusCode(200).extract().jsonPath();
        assertThat(replication.getLong("shards.find { it.shard == 'm-s' }.replicas.find { it.name == 'replica-3' }"
                + ".lastVerification.unrepaired")).as("verified before it served").isZero();

        long deadline = System.nanoTime() + 10_000_000_000L;
        String metrics = "";
        while (!metrics.contains("ReplicaLagMs{replica=\"replica-3\",shard=\"m-s\"}") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        }
        assertThat(metrics).as("the new replica's gauges").contains("ReplicaLagMs{replica=\"replica-3\",shard=\"m-s\"}",
                "ReplicaDivergentItems{replica=\"replica-3\",shard=\"m-s\"} 0.0");

        given().when().delete("/v1/admin/shards/m-s/replicas/1").then().statusCode(400)
                .body("type", equalTo("urn:shardkv:problem:invalid-reshard"));
        JsonPath removed = follow(given().when().delete("/v1/admin/shards/m-s/replicas/3"));
        assertThat(removed.getString("kind")).isEqualTo("remove-replica");
        assertThat(given().when().get("/v1/shards").then().extract().jsonPath()
                .getList("shards.find { it.id == 'm-s' }.replicas.table"))
                .containsExactly("test-m-s-replica-1", "test-m-s-replica-2");
        given().queryParam("consistency", "eventual").when().get("/v1/kv/oscar").then().statusCode(200)
                .body("value", equalTo("oscar"));

        // Its series go with it (they followed it with NaN before); the other replicas' stay.
        deadline = System.nanoTime() + 15_000_000_000L;
        while (metrics.contains("replica=\"replica-3\",shard=\"m-s\"") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        }
        assertThat(metrics).as("the removed replica's series").doesNotContain("replica=\"replica-3\",shard=\"m-s\"")
                .contains("ReplicaLagMs{replica=\"replica-2\",shard=\"m-s\"}", "Reads_total{shard=\"m-s\"}");
    }

    private static JsonPath follow(Response started) throws InterruptedException {
        started.then().statusCode(202);
        String id = started.jsonPath().getString("id");
        assertThat(started.header("Location")).isEqualTo("/v1/admin/operations/" + id);
        JsonPath op = started.jsonPath();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!List.of("done", "failed", "aborted").contains(op.getString("state")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            op = given().when().get("/v1/admin/operations/" + id).then().statusCode(200).extract().jsonPath();
        }
        assertThat(op.getString("state")).as(String.valueOf(op.getString("error"))).isEqualTo("done");
        return op;
    }
}
