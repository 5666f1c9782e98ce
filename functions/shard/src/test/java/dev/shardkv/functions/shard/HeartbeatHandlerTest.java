package dev.shardkv.functions.shard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.topology.ShardSpec;
import dev.shardkv.dynamodb.ItemAttributes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The heartbeat handler, invoked with an EventBridge scheduled event as AWS sends it. */
@QuarkusTest
@TestProfile(Handler.Heartbeat.class)
@QuarkusTestResource(value = DynamoDbLocalResource.class, restrictToAnnotatedClass = true)
class HeartbeatHandlerTest {

    @Test
    void writesAHeartbeatToEveryLeader() throws Exception {
        String event = new String(getClass().getResourceAsStream("/events/scheduled-event.json").readAllBytes(),
                StandardCharsets.UTF_8);
        given().contentType("application/json").body(event)
                .when().post()
                .then().statusCode(200)
                .body("rounds", equalTo(1))
                .body("heartbeats", equalTo(5)); // 3 shards and 2 staged: a staged shard's replicas need lag too
        for (ShardSpec shard : Stream.concat(DynamoDbLocalResource.TOPOLOGY.shards().stream(),
                DynamoDbLocalResource.TOPOLOGY.staged().stream()).toList()) {
            var item = DynamoDbLocalResource.dynamo().getItem(b -> b
                    .tableName(DynamoDbLocalResource.TOPOLOGY.leaderTable(shard.id()))
                    .key(ItemAttributes.key(Keys.HEARTBEAT_KEY)).consistentRead(true)).item();
            assertThat(item).as("heartbeat in the leader of " + shard.id()).containsKey(ItemAttributes.TS);
        }
    }
}
