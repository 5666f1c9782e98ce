package dev.shardkv.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.store.OperationStore;
import dev.shardkv.core.testing.Maps;
import dev.shardkv.core.testing.OperationStoreContract;
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
 * The control table keeps the operation store contract on DynamoDB Local (a fresh control table per
 * test), with the item layout the class documents, beside the shard map and without disturbing it.
 */
class DynamoOperationStoreTest extends OperationStoreContract {
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
    protected OperationStore newStore() {
        table = "ops-" + TABLES.incrementAndGet() + "-control";
        new TableProvisioner(dynamo).create(table, false);
        return new DynamoStores(dynamo).operations(table);
    }

    @Test
    void anOperationIsOneItemWithItsVersionAndEachLockOneItemNamingIt() {
        DynamoOperationStore store = new DynamoOperationStore(dynamo, table);
        Operation op = split("a-l", "a-f", "g-l");
        store.create(op);
        store.save(op.advance(op.updatedAt() + 1));

        Map<String, AttributeValue> item = get("op#" + op.id());
        assertThat(item.get("version").n()).isEqualTo("2");
        assertThat(Operation.parse(item.get("operation").s()).state().label()).isEqualTo("catching-up");
        for (String shard : op.shards()) {
            assertThat(get("lock#" + shard).get("operation").s()).as(shard).isEqualTo(op.id());
        }
    }

    @Test
    void theShardMapBesideItStaysAsItWasAndIsNoOperation() {
        DynamoControlStore control = new DynamoControlStore(dynamo, table);
        control.seedShardMap(Maps.epoch1());
        DynamoOperationStore store = new DynamoOperationStore(dynamo, table);
        Operation op = split("a-l", "a-f", "g-l");
        store.create(op);

        assertThat(store.list()).containsExactly(op);
        assertThat(store.locks()).containsOnlyKeys("a-l", "a-f", "g-l");
        assertThat(control.loadShardMap()).contains(Maps.epoch1());
    }

    private Map<String, AttributeValue> get(String pk) {
        return dynamo.getItem(b -> b.tableName(table).key(ItemAttributes.key(pk)).consistentRead(true)).item();
    }
}
