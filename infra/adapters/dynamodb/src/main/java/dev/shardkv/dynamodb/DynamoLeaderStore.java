package dev.shardkv.dynamodb;

import static dev.shardkv.dynamodb.ItemAttributes.n;
import static dev.shardkv.dynamodb.ItemAttributes.s;

import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.kv.WriteOutcome;
import dev.shardkv.core.store.LeaderStore;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * A leader table. Each write is a single conditional UpdateItem: the version is bumped with
 * {@code ADD}, so there is no read-modify-write window, and the precondition is part of the same
 * atomic request. {@code UPDATED_OLD} tells whether a live item was replaced (200) or not (201).
 */
public final class DynamoLeaderStore extends ItemTable implements LeaderStore {
    public DynamoLeaderStore(DynamoDbClient dynamo, String table) {
        super(dynamo, table);
    }

    @Override
    public WriteOutcome put(String key, String valueJson, long ts, Precondition precondition) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":value", s(valueJson));
        values.put(":ts", n(ts));
        values.put(":false", AttributeValue.fromBool(false));
        values.put(":one", n(1));
        String condition = null;
        if (precondition.ifNoneMatch()) {
            condition = "attribute_not_exists(#pk) OR #tomb = :true";
            values.put(":true", AttributeValue.fromBool(true));
        } else if (precondition.ifLive()) {
            condition = "attribute_exists(#pk) AND #tomb = :false";
        } else if (precondition.ifMatch() != null) {
            condition = "#ver = :expected AND #tomb = :false";
            values.put(":expected", n(precondition.ifMatch()));
        }
        String update = "SET #value = :value, #ts = :ts, #tomb = :false REMOVE #exp ADD #ver :one";
        UpdateItemRequest request = versioned(key, update, condition, values);
        try {
            UpdateItemResponse response = dynamo.updateItem(request);
            Map<String, AttributeValue> old = response.attributes();
            long oldVersion = ItemAttributes.longOf(old == null ? null : old.get(ItemAttributes.VERSION), 0);
            boolean wasLive = old != null && old.containsKey(ItemAttributes.VERSION)
                    && !Boolean.TRUE.equals(old.getOrDefault(ItemAttributes.TOMBSTONE, AttributeValue.fromBool(false)).bool());
            return new WriteOutcome.Written(StoredItem.live(key, valueJson, oldVersion + 1, ts), !wasLive);
        } catch (ConditionalCheckFailedException e) {
            return new WriteOutcome.PreconditionFailed(current(key, e));
        }
    }

    @Override
    public WriteOutcome delete(String key, long ts, long expiresAtEpochSeconds, Precondition precondition) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":ts", n(ts));
        values.put(":exp", n(expiresAtEpochSeconds));
        values.put(":true", AttributeValue.fromBool(true));
        values.put(":false", AttributeValue.fromBool(false));
        values.put(":one", n(1));
        String condition = "attribute_exists(#pk) AND #tomb = :false";
        if (precondition.ifMatch() != null) { // If-Match: * is the condition above: any live version
            condition += " AND #ver = :expected";
            values.put(":expected", n(precondition.ifMatch()));
        }
        String update = "SET #tomb = :true, #ts = :ts, #exp = :exp REMOVE #value ADD #ver :one";
        UpdateItemRequest request = versioned(key, update, condition, values);
        try {
            UpdateItemResponse response = dynamo.updateItem(request);
            long oldVersion = ItemAttributes.longOf(response.attributes().get(ItemAttributes.VERSION), 0);
            return new WriteOutcome.Deleted(StoredItem.tombstone(key, oldVersion + 1, ts, expiresAtEpochSeconds));
        } catch (ConditionalCheckFailedException e) {
            StoredItem current = current(key, e);
            boolean live = current != null && current.isLive();
            // RFC 9110: a failed If-Match is 412 even when the key is absent; without one, absent is 404.
            if (precondition.hasIfMatch() || live) {
                return new WriteOutcome.PreconditionFailed(current);
            }
            return new WriteOutcome.NotFound(current);
        }
    }

    @Override
    public List<StoredItem> getAll(List<String> keys) {
        return batchGet(keys, true);
    }

    @Override
    public Optional<StoredItem> get(String key) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder()
                .tableName(table).key(ItemAttributes.key(key)).consistentRead(true).build()).item();
        return Optional.ofNullable(ItemAttributes.fromItem(item));
    }

    /** One conditional update of a key that answers with the old item, and with the current one when refused. */
    private UpdateItemRequest versioned(String key, String update, String condition, Map<String, AttributeValue> values) {
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(ItemAttributes.key(key))
                .updateExpression(update)
                .conditionExpression(condition)
                .expressionAttributeNames(ItemAttributes.namesIn(update, condition))
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.UPDATED_OLD)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
    }

    /** The item that failed the condition, from the failure itself when the service returns it. */
    private StoredItem current(String key, ConditionalCheckFailedException e) {
        if (e.hasItem()) {
            return ItemAttributes.fromItem(e.item());
        }
        return get(key).orElse(null);
    }
}
