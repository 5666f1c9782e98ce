package dev.shardkv.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.dynamodb.ItemAttributes;
import dev.shardkv.embedded.testing.Tables;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Items written around ShardKV (straight into a table: through --dynamodb-port, by an operator or a
 * bug) whose value is no valid JSON text: every read reports them and none answers 500 for them,
 * so one such item cannot break the scans of everybody else.
 */
@QuarkusTest
class UndecodableItemTest {
    static final String LONE_SURROGATE = "{\"a\":\"\ud800\"}"; // a raw unpaired surrogate: no UTF-8 form
    @Inject
    EmbeddedApi runtime;

    final List<String> forged = new ArrayList<>();

    /** Writes the item into the shard's leader and replicas at once, as a forger would. */
    void forge(String key, String value) {
        ShardEntry shard = runtime.cluster().shardMap().route(key);
        List<String> tables = new ArrayList<>(shard.replicas());
        tables.add(shard.leader());
        for (String table : tables) {
            runtime.cluster().dynamo().putItem(b -> b.tableName(table)
                    .item(ItemAttributes.toItem(StoredItem.live(key, value, 1, System.currentTimeMillis()))));
        }
        forged.add(key);
    }

    @AfterEach
    void removeForgedItems() {
        for (String key : forged) {
            ShardEntry shard = runtime.cluster().shardMap().route(key);
            List<String> tables = new ArrayList<>(shard.replicas());
            tables.add(shard.leader());
            tables.forEach(t -> runtime.cluster().dynamo().deleteItem(b -> b.tableName(t).key(ItemAttributes.key(key))));
        }
    }

    @Test
    void aSingleReadReportsTheItemAsProblemJsonNot500() {
        forge("undec-surrogate", LONE_SURROGATE);
        forge("undec-text", "not json at all");
        for (String consistency : List.of("strong", "eventual")) {
            for (String key : List.of("undec-surrogate", "undec-text")) {
                given().queryParam("consistency", consistency).when().get("/v1/kv/" + key)
                        .then().statusCode(502)
                        .contentType("application/problem+json")
                        .body("type", equalTo("urn:shardkv:problem:undecodable-item"))
                        .body("key", equalTo(key));
            }
        }
    }

    @Test
    void aReplicaHoldingAnUndecodableCopyIsPassedOverForTheLeader() {
        given().contentType("application/json").body("{\"ok\":true}").when().put("/v1/kv/undec-replica").then().statusCode(201);
        ShardEntry shard = runtime.cluster().shardMap().route("undec-replica");
        for (String replica : shard.replicas()) {
            // a higher version, so that replication never overwrites it during the test
            runtime.cluster().dynamo().putItem(b -> b.tableName(replica)
                    .item(ItemAttributes.toItem(StoredItem.live("undec-replica", "{broken", 99, System.currentTimeMillis()))));
        }
        forged.add("undec-replica");
        given().when().get("/v1/kv/undec-replica").then().statusCode(200)
                .body("value.ok", equalTo(true))
                .header("X-Served-By", equalTo(shard.id() + "/leader"));
    }

    @Test
    void batchReadsAndEveryQueryServeTheRestAndNameTheItem() {
        for (String key : List.of("undec-a1", "undec-m1", "undec-t1")) {
            given().contentType("application/json").body("{\"score\":7}").when().put("/v1/kv/" + key).then().statusCode(201);
            forged.add(key);
        }
        forge("undec-m2", LONE_SURROGATE);
        ShardEntry shard = runtime.cluster().shardMap().route("undec-a1");
        for (String replica : shard.replicas()) {
            for (String key : List.of("undec-a1", "undec-m1", "undec-t1")) {
                try {
                    Tables.awaitVersion(runtime.cluster(), replica, key, 1, java.time.Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        }
        for (String consistency : List.of("strong", "eventual")) {
            given().urlEncodingEnabled(false).contentType("application/json")
                    .body("{\"keys\":[\"undec-a1\",\"undec-m2\"],\"consistency\":\"" + consistency + "\"}")
                    .when().post("/v1/kv:batchGet")
                    .then().statusCode(200)
                    .body("results[0].value.score", equalTo(7))
                    .body("results[1].found", equalTo(true))
                    .body("results[1].undecodable", equalTo(true));
            given().queryParam("prefix", "undec-").queryParam("consistency", consistency).when().get("/v1/query/scan")
                    .then().statusCode(200)
                    .body("items.key", hasItem("undec-m1"))
                    .body("undecodable.key", equalTo(List.of("undec-m2")));
            given().queryParam("prefix", "undec-").queryParam("consistency", consistency)
                    .queryParam("field", "score").queryParam("op", "gte").queryParam("value", "0")
                    .when().get("/v1/query/scan").then().statusCode(200)
                    .body("items.size()", equalTo(3))
                    .body("undecodable.key", equalTo(List.of("undec-m2")));
            given().queryParam("prefix", "undec-").queryParam("consistency", consistency)
                    .queryParam("field", "score").queryParam("n", "1000")
                    .when().get("/v1/query/top").then().statusCode(200)
                    .body("items.size()", equalTo(3))
                    .body("undecodable.key", equalTo(List.of("undec-m2")));
            // a page at the documented maximum, over everything stored, still answers
            given().queryParam("limit", "1000").queryParam("consistency", consistency).when().get("/v1/query/scan")
                    .then().statusCode(200);
        }
        assertThat(forged).isNotEmpty();
    }
}
