package dev.shardkv.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.store.VerificationStore;
import dev.shardkv.core.testing.Maps;
import dev.shardkv.core.testing.VerificationStoreContract;
import dev.shardkv.core.verify.LastVerification;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

/**
 * The control table keeps the verification store contract on DynamoDB Local (a fresh control table per test),
 * one {@code check#<replica table>} item per replica, beside the shard map and the operations without touching them.
 */
class DynamoVerificationStoreTest extends VerificationStoreContract {
    static final AtomicInteger TABLES = new AtomicInteger();
    static AmazonDynamoDBLocal local;
    static DynamoDbClient dynamo;
    String table;

    @BeforeAll
    static void start() {
        local = DynamoDBEmbedded.create(null, true);
        dynamo = local.dynamoDbClient();
    }

    @AfterAll
    static void stop() {
        local.shutdownNow();
    }

    @Override
    protected VerificationStore newStore() {
        table = "checks-" + TABLES.incrementAndGet() + "-control";
        new TableProvisioner(dynamo).create(table, false);
        return new DynamoStores(dynamo).verifications(table);
    }

    @Test
    void eachReplicaIsOneCheckItemBesideTheShardMap() {
        DynamoControlStore control = new DynamoControlStore(dynamo, table);
        control.seedShardMap(Maps.epoch1());
        new DynamoVerificationStore(dynamo, table)
                .record(new LastVerification("a-l", "kv-a-l-replica-1", 1_000, 1, 2, 1, 1, "op-1"));

        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(ItemAttributes.key("check#kv-a-l-replica-1")).consistentRead(true)).item();
        assertThat(item.get("shard").s()).isEqualTo("a-l");
        assertThat(item.get("unrepaired").n()).isEqualTo("3");
        assertThat(item.get("operation").s()).isEqualTo("op-1");
        assertThat(control.loadShardMap()).contains(Maps.epoch1());
        assertThat(new DynamoOperationStore(dynamo, table).list()).as("no operation").isEmpty();
    }
}
