package dev.shardkv.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;

import dev.shardkv.core.store.VerificationStore;
import dev.shardkv.core.verify.LastVerification;
import dev.shardkv.dynamodb.DynamoStores;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/replication} shows each replica's last verification, as the control table holds it (read by the
 * gateway within about a second), or null for a replica never verified.
 */
@QuarkusTest
class LastVerificationApiTest {
    static final String TABLE = "test-m-s-replica-2";

    @Inject
    EmbeddedApi runtime;

    @Test
    void eachReplicaShowsItsLastVerificationOrNull() throws InterruptedException {
        VerificationStore store = new DynamoStores(runtime.cluster().dynamo())
                .verifications(runtime.cluster().topology().controlTable());
        // Repaired in full: shown, and the replica serves as before (other tests read through it).
        store.record(new LastVerification("m-s", TABLE, 1_764_571_200_000L, 1, 2, 0, 3, "op-1764571200000-abcdefgh"));
        try {
            long deadline = System.nanoTime() + 10_000_000_000L;
            JsonPath api;
            do {
                Thread.sleep(100);
                api = given().when().get("/v1/replication").then().statusCode(200).extract().jsonPath();
            } while (api.get("shards[1].replicas[1].lastVerification") == null && System.nanoTime() < deadline);
            assertThat(api.getMap("shards[1].replicas[1].lastVerification")).isEqualTo(Map.of(
                    "at", 1_764_571_200_000L, "missing", 1, "different", 2, "extra", 0, "repaired", 3, "unrepaired", 0,
                    "operation", "op-1764571200000-abcdefgh"));
            given().when().get("/v1/replication").then()
                    .body("shards[1].replicas[0]", hasKey("lastVerification"))
                    .body("shards[1].replicas[0].lastVerification", nullValue())
                    .body("shards[1].replicas[1].table", equalTo(TABLE));
        } finally {
            store.forget(TABLE);
        }
    }
}
