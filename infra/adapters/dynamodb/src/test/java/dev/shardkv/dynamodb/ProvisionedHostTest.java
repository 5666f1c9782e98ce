package dev.shardkv.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.shardkv.core.topology.ShardEntry;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

/** On AWS a target's tables are Terraform's: opening one checks they are there and, when fresh, empties them. */
class ProvisionedHostTest {
    static AmazonDynamoDBLocal local;
    static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        local = DynamoDBEmbedded.create(null, true);
        dynamo = local.dynamoDbClient();
    }

    @AfterAll
    static void stop() {
        local.shutdownNow();
    }

    @Test
    void aTargetWithoutTablesFailsNamingWhatToStage() {
        ShardEntry target = new ShardEntry("a-f", null, "g", "kv-a-f-leader", List.of("kv-a-f-replica-1", "kv-a-f-replica-2"));
        Throwable refusal = catchThrowable(() -> new ProvisionedHost(dynamo).open(target, true));
        assertThat(refusal).isInstanceOf(IllegalStateException.class).hasMessage("table kv-a-f-leader does not exist:"
                + " add {\"id\": \"a-f\", \"replicas\": 2} to \"staged\" in topology.json and run terraform apply");
    }

    @Test
    void aLeaderWithoutAStreamIsRefused() {
        TableProvisioner tables = new TableProvisioner(dynamo);
        tables.create("kv-b-leader", false);
        tables.create("kv-b-replica-1", false);
        ShardEntry target = new ShardEntry("b", null, null, "kv-b-leader", List.of("kv-b-replica-1"));
        assertThat(catchThrowable(() -> new ProvisionedHost(dynamo).open(target, false)))
                .hasMessageContaining("has no stream");
    }

    @Test
    void aFreshTargetIsEmptiedReservedItemsIncludedAndAResumedOneIsLeftAsItIs() {
        TableProvisioner tables = new TableProvisioner(dynamo);
        tables.create("kv-c-leader", true);
        tables.create("kv-c-replica-1", false);
        ShardEntry target = new ShardEntry("c", null, null, "kv-c-leader", List.of("kv-c-replica-1"));
        for (String table : List.of("kv-c-leader", "kv-c-replica-1")) {
            for (int i = 0; i < 60; i++) { // more than one BatchWriteItem
                String key = "k" + i;
                dynamo.putItem(b -> b.tableName(table).item(ItemAttributes.key(key)));
            }
            dynamo.putItem(b -> b.tableName(table).item(ItemAttributes.key("__shardkv:fence")));
        }
        ProvisionedHost host = new ProvisionedHost(dynamo);

        host.open(target, false);
        assertThat(count("kv-c-leader")).as("resumed: kept").isEqualTo(61);

        host.open(target, true);
        assertThat(count("kv-c-leader")).isZero();
        assertThat(count("kv-c-replica-1")).isZero();
    }

    private static int count(String table) {
        return dynamo.scan(b -> b.tableName(table).consistentRead(true)).count();
    }
}
