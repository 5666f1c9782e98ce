package dev.shardkv.functions.shard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.shardkv.dynamodb.ItemAttributes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The writer handler, invoked through the Lambda mock event server with the gateway's payload. */
@QuarkusTest
@TestProfile(Handler.Writer.class)
@QuarkusTestResource(value = DynamoDbLocalResource.class, restrictToAnnotatedClass = true)
class WriterHandlerTest {

    @Test
    void putsOnItsLeaderTableAndFencesKeysOfOtherShards() {
        given().contentType("application/json")
                .body("{\"op\":\"PUT\",\"key\":\"apple\",\"value\":\"{\\\"n\\\":1}\",\"epoch\":1}")
                .when().post()
                .then().statusCode(200)
                .body("status", equalTo("OK"))
                .body("servedBy", equalTo("a-l/leader"))
                .body("created", equalTo(true))
                .body("item.version", equalTo(1));

        Map<String, AttributeValue> item = DynamoDbLocalResource.dynamo().getItem(b -> b
                .tableName(DynamoDbLocalResource.TOPOLOGY.leaderTable("a-l"))
                .key(ItemAttributes.key("apple")).consistentRead(true)).item();
        assertThat(item.get(ItemAttributes.VALUE).s()).isEqualTo("{\"n\":1}");

        given().contentType("application/json")
                .body("{\"op\":\"PUT\",\"key\":\"zebra\",\"value\":\"1\",\"epoch\":1}")
                .when().post()
                .then().statusCode(200)
                .body("status", equalTo("WRONG_SHARD"));

        given().contentType("application/json")
                .body("{\"op\":\"BATCH_GET\",\"keys\":[\"apple\"],\"epoch\":1}")
                .when().post()
                .then().statusCode(200)
                .body("status", equalTo("OK"))
                .body("items[0].key", equalTo("apple"))
                .body("items[0].version", equalTo(1));

        given().contentType("application/json")
                .body("{\"op\":\"WATERMARKS\"}")
                .when().post()
                .then().statusCode(200)
                .body("status", equalTo("INVALID"))
                .body("detail", equalTo("the writer has no replicas to report on"));
    }
}
