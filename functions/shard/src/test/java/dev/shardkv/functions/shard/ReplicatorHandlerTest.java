package dev.shardkv.functions.shard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.dynamodb.DynamoReplicaStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The replicator handler, invoked through the Lambda mock event server with a DynamoDB stream event
 * in the exact JSON shape Lambda delivers (capitalised fields, float ApproximateCreationDateTime,
 * a TTL removal by the DynamoDB service).
 */
@QuarkusTest
@TestProfile(Handler.Replicator.class)
@QuarkusTestResource(value = DynamoDbLocalResource.class, restrictToAnnotatedClass = true)
class ReplicatorHandlerTest {

    @Test
    void appliesABatchToEveryReplicaAndAReplayChangesNothing() throws Exception {
        String event = fixture("/events/dynamodb-stream-event.json");
        for (int delivery = 1; delivery <= 2; delivery++) {
            given().contentType("application/json").body(event)
                    .when().post()
                    .then().statusCode(200)
                    .body("batchItemFailures", empty());
            for (int n = 1; n <= 2; n++) {
                DynamoReplicaStore replica = replica(n);
                StoredItem apple = replica.get("apple").orElseThrow();
                assertThat(apple.version()).isEqualTo(2);
                assertThat(apple.value()).isEqualTo("{\"n\":2}");
                StoredItem banana = replica.get("banana").orElseThrow();
                assertThat(banana.tombstone()).isTrue();
                assertThat(banana.expiresAt()).isEqualTo(1764417601L);
                assertThat(replica.get("cherry")).as("a TTL expiry is left to the replica's own TTL").isEmpty();
                assertThat(replica.watermark().orElseThrow().sequenceNumber()).isEqualTo("111000000000000000000004");
                assertThat(replica.watermark().orElseThrow().ts()).isEqualTo(1763812801900L);
            }
        }
    }

    @Test
    void reportsTheFirstUnreadableRecordAsTheBatchItemFailure() throws Exception {
        // The second record lost its new image: the first is applied, the failure names the second.
        String event = fixture("/events/dynamodb-stream-event.json")
                .replace("\"apple\"", "\"avocado\"")
                .replaceFirst("(?s)(\"eventName\": \"MODIFY\".*?)\"NewImage\"", "$1\"LostImage\"");
        given().contentType("application/json").body(event)
                .when().post()
                .then().statusCode(200)
                .body("batchItemFailures.size()", equalTo(1))
                .body("batchItemFailures[0].itemIdentifier", equalTo("111000000000000000000002"));
        assertThat(replica(1).get("avocado").orElseThrow().version()).isEqualTo(1);
    }

    private static DynamoReplicaStore replica(int n) {
        return new DynamoReplicaStore(DynamoDbLocalResource.dynamo(), DynamoDbLocalResource.TOPOLOGY.replicaTable("a-l", n));
    }

    private String fixture(String name) throws Exception {
        return new String(getClass().getResourceAsStream(name).readAllBytes(), StandardCharsets.UTF_8);
    }
}
