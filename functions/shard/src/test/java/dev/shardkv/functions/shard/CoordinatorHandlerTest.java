package dev.shardkv.functions.shard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.shardkv.dynamodb.ItemAttributes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** The coordinator handler through the Lambda mock event server: one transaction over two shards' leaders. */
@QuarkusTest
@TestProfile(Handler.Coordinator.class)
@QuarkusTestResource(value = DynamoDbLocalResource.class, restrictToAnnotatedClass = true)
class CoordinatorHandlerTest {

    @Test
    void commitsACrossShardTransactionOnBothLeadersOrNothing() {
        given().contentType("application/json")
                .body("{\"op\":\"TX\",\"epoch\":1,\"tx\":{\"epoch\":1,\"operations\":["
                        + "{\"op\":\"put\",\"key\":\"apple\",\"value\":\"1\"},"
                        + "{\"op\":\"put\",\"key\":\"tomato\",\"value\":\"2\",\"version\":0}]}}")
                .when().post()
                .then().statusCode(200)
                .body("status", equalTo("OK"))
                .body("tx.committed", equalTo(true))
                .body("tx.results.shard", equalTo(java.util.List.of("a-l", "t-z")))
                .body("tx.results.version", equalTo(java.util.List.of(1, 1)));
        given().contentType("application/json")
                .body("{\"op\":\"TX\",\"epoch\":1,\"tx\":{\"epoch\":1,\"operations\":["
                        + "{\"op\":\"put\",\"key\":\"apple\",\"value\":\"3\"},"
                        + "{\"op\":\"put\",\"key\":\"tomato\",\"value\":\"4\",\"version\":0}]}}")
                .when().post()
                .then().statusCode(200)
                .body("tx.committed", equalTo(false))
                .body("tx.failures[0].index", equalTo(1));
        var apple = DynamoDbLocalResource.dynamo().getItem(b -> b.tableName(DynamoDbLocalResource.TOPOLOGY.leaderTable("a-l"))
                .key(ItemAttributes.key("apple")).consistentRead(true)).item();
        assertThat(apple.get(ItemAttributes.VALUE).s()).as("the failed transaction wrote nothing").isEqualTo("1");
    }
}
