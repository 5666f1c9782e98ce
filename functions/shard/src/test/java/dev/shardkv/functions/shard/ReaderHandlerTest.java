package dev.shardkv.functions.shard;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.dynamodb.DynamoReplicaStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** The reader handler, invoked through the Lambda mock event server. */
@QuarkusTest
@TestProfile(Handler.Reader.class)
@QuarkusTestResource(value = DynamoDbLocalResource.class, restrictToAnnotatedClass = true)
class ReaderHandlerTest {

    @Test
    void readsTheNamedReplicaAndReportsWatermarks() {
        DynamoReplicaStore replica2 = new DynamoReplicaStore(DynamoDbLocalResource.dynamo(),
                DynamoDbLocalResource.TOPOLOGY.replicaTable("a-l", 2));
        replica2.apply(StoredItem.live("kiwi", "\"green\"", 3, 1_000));
        replica2.saveWatermark(new Watermark(1_000, "42", 1_010));

        given().contentType("application/json")
                .body("{\"op\":\"GET\",\"key\":\"kiwi\",\"replica\":2,\"epoch\":1}")
                .when().post()
                .then().statusCode(200)
                .body("status", equalTo("OK"))
                .body("servedBy", equalTo("a-l/replica-2"))
                .body("item.value", equalTo("\"green\""))
                .body("item.version", equalTo(3));

        given().contentType("application/json")
                .body("{\"op\":\"WATERMARKS\",\"epoch\":1}")
                .when().post()
                .then().statusCode(200)
                .body("status", equalTo("OK"))
                .body("watermarks.size()", equalTo(2))
                .body("watermarks[1].sequenceNumber", equalTo("42"))
                .body("watermarks[1].ts", equalTo(1000));

        given().contentType("application/json")
                .body("{\"op\":\"GET\",\"key\":\"kiwi\",\"replica\":1,\"epoch\":1}")
                .when().post()
                .then().statusCode(200)
                .body("status", equalTo("NOT_FOUND"))
                .body("servedBy", equalTo("a-l/replica-1"));
    }
}
