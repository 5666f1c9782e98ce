package dev.shardkv.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.shardkv.core.store.Fence;
import dev.shardkv.dynamodb.DynamoLeaderStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A shard frozen on its leader table (as a reshard's cutover freezes it) over HTTP: its writes and strong
 * reads are waited out, then refused with 503 problem+json and Retry-After, writing nothing; other
 * shards go on; opened again, it takes writes.
 */
@QuarkusTest
class FrozenShardApiTest {
    @Inject
    EmbeddedApi runtime;

    @Test
    void aFrozenShardIsRefusedAfterTheWaitAndOtherShardsGoOn() throws InterruptedException {
        given().contentType("application/json").body("1").when().put("/v1/kv/tango-frozen").then().statusCode(201);
        DynamoLeaderStore leader = new DynamoLeaderStore(runtime.cluster().dynamo(), "test-t-z-leader");
        Fence.freeze(leader, "op-test", System.currentTimeMillis());
        try {
            Thread.sleep(300); // longer than a writer trusts its last fence read
            long started = System.nanoTime();
            given().contentType("application/json").body("3").when().put("/v1/kv/tango-frozen").then()
                    .statusCode(503).contentType("application/problem+json").header("Retry-After", "1")
                    .body("type", equalTo("urn:shardkv:problem:shard-frozen"))
                    .body("shard", equalTo("t-z"));
            given().queryParam("consistency", "strong").when().get("/v1/kv/tango-frozen").then()
                    .statusCode(503).body("type", equalTo("urn:shardkv:problem:shard-frozen"));
            assertThat((System.nanoTime() - started) / 1_000_000).as("waited out before refusing").isGreaterThan(3_800);
            given().contentType("application/json").body("1").when().put("/v1/kv/alpha-beside").then().statusCode(201);
        } finally {
            Fence.open(leader, System.currentTimeMillis());
        }
        given().contentType("application/json").body("4").when().put("/v1/kv/tango-frozen").then().statusCode(200)
                .body("version", equalTo(2)); // nothing was written while it was frozen
    }
}
