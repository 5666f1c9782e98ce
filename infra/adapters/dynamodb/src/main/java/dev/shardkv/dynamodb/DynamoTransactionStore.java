package dev.shardkv.dynamodb;

import static dev.shardkv.dynamodb.ItemAttributes.n;
import static dev.shardkv.dynamodb.ItemAttributes.s;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.tx.TransactionStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Get;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Transactions over leader tables: TransactGetItems for a serializable snapshot, TransactWriteItems
 * (Update and ConditionCheck only, so a writer or coordinator needs no PutItem) for all-or-nothing
 * writes, each item conditioned on the version it had in the snapshot.
 */
public final class DynamoTransactionStore implements TransactionStore {
    private final DynamoDbClient dynamo;

    public DynamoTransactionStore(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    @Override
    public Map<ItemRef, StoredItem> read(List<ItemRef> refs) {
        Map<ItemRef, StoredItem> snapshot = new LinkedHashMap<>();
        if (refs.isEmpty()) {
            return snapshot;
        }
        List<TransactGetItem> gets = new ArrayList<>();
        for (ItemRef ref : refs) {
            gets.add(TransactGetItem.builder().get(Get.builder().tableName(ref.table()).key(ItemAttributes.key(ref.key())).build()).build());
        }
        List<ItemResponse> responses = dynamo.transactGetItems(b -> b.transactItems(gets)).responses();
        for (int i = 0; i < refs.size(); i++) {
            StoredItem item = ItemAttributes.fromItem(responses.get(i).item());
            if (item != null) {
                snapshot.put(refs.get(i), item);
            }
        }
        return snapshot;
    }

    @Override
    public List<String> write(List<Write> writes) {
        List<TransactWriteItem> items = new ArrayList<>();
        for (Write w : writes) {
            Map<String, AttributeValue> values = new HashMap<>();
            String condition;
            if (w.expectedVersion() == null) {
                condition = "attribute_not_exists(#pk)";
            } else {
                condition = "#ver = :expected";
                values.put(":expected", n(w.expectedVersion()));
            }
            StoredItem after = w.newState();
            if (after == null) {
                items.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder()
                        .tableName(w.ref().table()).key(ItemAttributes.key(w.ref().key()))
                        .conditionExpression(condition)
                        .expressionAttributeNames(ItemAttributes.namesIn(condition))
                        .expressionAttributeValues(values.isEmpty() ? null : values).build()).build());
                continue;
            }
            String update;
            values.put(":ver", n(after.version()));
            values.put(":ts", n(after.ts()));
            if (after.tombstone()) {
                update = "SET #tomb = :true, #ver = :ver, #ts = :ts, #exp = :exp REMOVE #value";
                values.put(":true", AttributeValue.fromBool(true));
                values.put(":exp", n(after.expiresAt()));
            } else {
                update = "SET #value = :value, #ver = :ver, #ts = :ts, #tomb = :false REMOVE #exp";
                values.put(":value", s(after.value()));
                values.put(":false", AttributeValue.fromBool(false));
            }
            items.add(TransactWriteItem.builder().update(Update.builder()
                    .tableName(w.ref().table()).key(ItemAttributes.key(w.ref().key()))
                    .updateExpression(update)
                    .conditionExpression(condition)
                    .expressionAttributeNames(ItemAttributes.namesIn(update, condition))
                    .expressionAttributeValues(values).build()).build());
        }
        try {
            dynamo.transactWriteItems(b -> b.transactItems(items));
            return List.of();
        } catch (TransactionCanceledException e) {
            List<String> reasons = new ArrayList<>();
            if (e.hasCancellationReasons()) {
                for (CancellationReason reason : e.cancellationReasons()) {
                    reasons.add(reason.code() == null ? "None" : reason.code());
                }
            }
            if (reasons.isEmpty()) {
                reasons.add(CONFLICT);
            }
            return reasons;
        }
    }
}
