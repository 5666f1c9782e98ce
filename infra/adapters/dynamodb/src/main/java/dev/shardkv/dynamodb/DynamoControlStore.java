package dev.shardkv.dynamodb;

import static dev.shardkv.dynamodb.ItemAttributes.n;
import static dev.shardkv.dynamodb.ItemAttributes.s;

import dev.shardkv.core.store.ControlStore;
import dev.shardkv.core.topology.ShardMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The control table. The shard map is one item, {@code pk = "shardmap"}, with the map as JSON text
 * in {@code map} and its {@code epoch} as a number (so that a conditional update can fence on it).
 */
public final class DynamoControlStore implements ControlStore {
    public static final String SHARD_MAP_PK = "shardmap";
    public static final String MAP = "map";
    public static final String EPOCH = "epoch";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoControlStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<ShardMap> loadShardMap() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(ItemAttributes.key(SHARD_MAP_PK)).consistentRead(true)).item();
        if (item == null || !item.containsKey(MAP)) {
            return Optional.empty();
        }
        return Optional.of(ShardMap.parse(item.get(MAP).s()));
    }

    @Override
    public ShardMap seedShardMap(ShardMap initial) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(ItemAttributes.PK, s(SHARD_MAP_PK), MAP, s(initial.toJson()), EPOCH, n(initial.epoch())))
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", ItemAttributes.PK)));
            return initial;
        } catch (ConditionalCheckFailedException e) {
            return loadShardMap().orElseThrow();
        }
    }

    @Override
    public boolean publish(ShardMap next, long expectedEpoch) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(ItemAttributes.key(SHARD_MAP_PK))
                    .updateExpression("SET #map = :map, #epoch = :next")
                    .conditionExpression("#epoch = :expected")
                    .expressionAttributeNames(Map.of("#map", MAP, "#epoch", EPOCH))
                    .expressionAttributeValues(Map.of(":map", s(next.toJson()), ":next", n(next.epoch()),
                            ":expected", n(expectedEpoch))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
