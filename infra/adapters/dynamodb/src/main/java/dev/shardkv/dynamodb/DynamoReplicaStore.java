package dev.shardkv.dynamodb;

import static dev.shardkv.dynamodb.ItemAttributes.n;
import static dev.shardkv.dynamodb.ItemAttributes.s;

import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.ApplyResult;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.store.ReplicaStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import dev.shardkv.core.replication.ApplyRule;
import java.util.LinkedHashMap;

/**
 * A replica table. Applies are conditional on the version ({@code attribute_not_exists(pk) OR
 * version < :v}): a failed condition means "already applied" and is not an error. The watermark
 * lives in the table itself under a reserved key, so a reader needs no other table to report it.
 */
public final class DynamoReplicaStore extends ItemTable implements ReplicaStore {
    static final String WM_TS = "ts";
    static final String WM_SEQ = "sequenceNumber";
    static final String WM_APPLIED_AT = "appliedAt";

    public DynamoReplicaStore(DynamoDbClient dynamo, String table) {
        super(dynamo, table);
    }

    @Override
    public ApplyResult apply(StoredItem item) {
        String condition = "attribute_not_exists(#pk) OR #ver < :v";
        try {
            dynamo.putItem(PutItemRequest.builder()
                    .tableName(table)
                    .item(ItemAttributes.toItem(item))
                    .conditionExpression(condition)
                    .expressionAttributeNames(ItemAttributes.namesIn(condition))
                    .expressionAttributeValues(Map.of(":v", n(item.version())))
                    .build());
            return ApplyResult.APPLIED;
        } catch (ConditionalCheckFailedException e) {
            return ApplyResult.ALREADY_APPLIED;
        }
    }

    /**
     * A batch in a handful of requests instead of one conditional put per record: one consistent
     * BatchGetItem per 100 keys reads the versions held, one BatchWriteItem per 25 items writes only
     * the newer images. Blind writes are safe because the replicator is the only writer of its keys
     * (see {@link ReplicaStore#applyAll}); the rule is the same as {@link #apply}'s condition. A batch of
     * one key is {@link #apply} itself: one request instead of two.
     */
    @Override
    public Map<String, ApplyResult> applyAll(List<StoredItem> items) {
        Map<String, StoredItem> newest = ApplyRule.newestPerKey(items);
        if (newest.size() == 1) { // one conditional put, not a read and a write: a heartbeat, a quiet shard
            StoredItem only = newest.values().iterator().next();
            return Map.of(only.key(), apply(only));
        }
        Map<String, Long> held = versions(new ArrayList<>(newest.keySet()));
        Map<String, ApplyResult> results = new LinkedHashMap<>();
        List<WriteRequest> writes = new ArrayList<>();
        for (StoredItem item : newest.values()) {
            if (ApplyRule.accepts(held.get(item.key()), item.version())) {
                writes.add(WriteRequest.builder().putRequest(p -> p.item(ItemAttributes.toItem(item))).build());
                results.put(item.key(), ApplyResult.APPLIED);
            } else {
                results.put(item.key(), ApplyResult.ALREADY_APPLIED);
            }
        }
        for (int from = 0; from < writes.size(); from += MAX_BATCH_WRITE) {
            write(writes.subList(from, Math.min(writes.size(), from + MAX_BATCH_WRITE)));
        }
        return results;
    }

    private static final int MAX_BATCH_WRITE = 25;
    private static final int MAX_BATCH_GET = 100;

    /** The version each key has on the replica (absent keys left out), read consistently. */
    private Map<String, Long> versions(List<String> keys) {
        Map<String, Long> versions = new java.util.HashMap<>();
        for (int from = 0; from < keys.size(); from += MAX_BATCH_GET) {
            List<Map<String, AttributeValue>> pending = keys.subList(from, Math.min(keys.size(), from + MAX_BATCH_GET))
                    .stream().map(ItemAttributes::key).toList();
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                backoff(attempt);
                BatchGetItemResponse response = dynamo.batchGetItem(BatchGetItemRequest.builder()
                        .requestItems(Map.of(table, KeysAndAttributes.builder().keys(pending).consistentRead(true)
                                .projectionExpression("#pk, #ver")
                                .expressionAttributeNames(Map.of("#pk", ItemAttributes.PK, "#ver", ItemAttributes.VERSION))
                                .build()))
                        .build());
                response.responses().getOrDefault(table, List.of()).forEach(i ->
                        versions.put(i.get(ItemAttributes.PK).s(), ItemAttributes.longOf(i.get(ItemAttributes.VERSION), 0)));
                pending = response.hasUnprocessedKeys() && response.unprocessedKeys().containsKey(table)
                        ? response.unprocessedKeys().get(table).keys() : List.of();
            }
        }
        return versions;
    }

    private void write(List<WriteRequest> writes) {
        List<WriteRequest> pending = writes;
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            backoff(attempt);
            List<WriteRequest> batch = pending;
            BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, batch)));
            List<WriteRequest> unprocessed = response.hasUnprocessedItems() ? response.unprocessedItems().get(table) : null;
            pending = unprocessed == null ? List.of() : unprocessed;
        }
    }

    /** Unprocessed keys or items mean throttling: back off, and give up (the batch is retried) after a few tries. */
    private void backoff(int attempt) {
        if (attempt == 8) {
            throw new IllegalStateException("replica " + table + " left items unprocessed after retries");
        }
        if (attempt > 0) {
            sleep(Math.min(200, 10L << attempt));
        }
    }

    @Override
    public ApplyResult remove(String key, Long removedVersion) {
        String condition = removedVersion == null ? "attribute_exists(#pk)" : "attribute_exists(#pk) AND #ver <= :v";
        DeleteItemRequest.Builder request = DeleteItemRequest.builder()
                .tableName(table)
                .key(ItemAttributes.key(key))
                .conditionExpression(condition)
                .expressionAttributeNames(ItemAttributes.namesIn(condition));
        if (removedVersion != null) {
            request.expressionAttributeValues(Map.of(":v", n(removedVersion)));
        }
        try {
            dynamo.deleteItem(request.build());
            return ApplyResult.APPLIED;
        } catch (ConditionalCheckFailedException e) {
            return ApplyResult.ALREADY_APPLIED;
        }
    }

    /**
     * A PutItem or DeleteItem conditioned on exactly the state a repair found ({@code attribute_not_exists(pk)}
     * or {@code version = :found}), so that it never lands over a write the replicator made since.
     */
    @Override
    public boolean replace(String key, Long expectedVersion, StoredItem item) {
        String condition = expectedVersion == null ? "attribute_not_exists(#pk)" : "#ver = :found";
        Map<String, AttributeValue> values = expectedVersion == null ? null : Map.of(":found", n(expectedVersion));
        try {
            if (item == null) {
                dynamo.deleteItem(DeleteItemRequest.builder().tableName(table).key(ItemAttributes.key(key))
                        .conditionExpression(condition)
                        .expressionAttributeNames(ItemAttributes.namesIn(condition))
                        .expressionAttributeValues(values)
                        .build());
            } else {
                dynamo.putItem(PutItemRequest.builder().tableName(table).item(ItemAttributes.toItem(item))
                        .conditionExpression(condition)
                        .expressionAttributeNames(ItemAttributes.namesIn(condition))
                        .expressionAttributeValues(values)
                        .build());
            }
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<StoredItem> get(String key) {
        return Optional.ofNullable(ItemAttributes.fromItem(dynamo.getItem(GetItemRequest.builder()
                .tableName(table).key(ItemAttributes.key(key)).build()).item()));
    }

    @Override
    public List<StoredItem> getAll(List<String> keys) {
        return batchGet(keys, false);
    }

    @Override
    public List<StoredItem> getAllConsistent(List<String> keys) {
        return batchGet(keys, true);
    }

    @Override
    public Optional<Watermark> watermark() {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder()
                .tableName(table).key(ItemAttributes.key(Keys.WATERMARK_KEY)).build()).item();
        return Optional.ofNullable(watermarkOf(item));
    }

    /** Never moves a watermark back (two batches may race on AWS when a stream has several shards). */
    @Override
    public void saveWatermark(Watermark watermark) {
        try {
            dynamo.putItem(PutItemRequest.builder()
                    .tableName(table)
                    .item(Map.of(ItemAttributes.PK, s(Keys.WATERMARK_KEY),
                            WM_TS, n(watermark.ts()),
                            WM_SEQ, s(watermark.sequenceNumber()),
                            WM_APPLIED_AT, n(watermark.appliedAt())))
                    .conditionExpression("attribute_not_exists(#pk) OR #ts <= :ts")
                    .expressionAttributeNames(Map.of("#pk", ItemAttributes.PK, "#ts", WM_TS))
                    .expressionAttributeValues(Map.of(":ts", n(watermark.ts())))
                    .build());
        } catch (ConditionalCheckFailedException e) {
            // a newer watermark is already stored
        }
    }

    private static Watermark watermarkOf(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return null;
        }
        return new Watermark(ItemAttributes.longOf(item.get(WM_TS), 0), item.get(WM_SEQ).s(),
                ItemAttributes.longOf(item.get(WM_APPLIED_AT), 0));
    }

}
