package dev.shardkv.dynamodb;

import dev.shardkv.core.kv.ItemVersion;
import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.store.Scannable;
import dev.shardkv.core.store.VersionScannable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Scans one table for live client items: the prefix, "not a tombstone" and "not a reserved key" are a
 * DynamoDB filter expression, so only matching items come back (filters on JSON fields are applied by
 * the caller, since values are JSON text).
 */
final class TableScanner {
    private static final String FILTER_BASE = "#tomb = :false AND NOT begins_with(#pk, :reserved)";
    private final DynamoDbClient dynamo;
    private final String table;

    TableScanner(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    Scannable.ScanPage scan(String prefix, String exclusiveStartKey, int pageSize, boolean consistent) {
        ScanResponse response = dynamo.scan(request(prefix, exclusiveStartKey, pageSize, consistent).build());
        List<StoredItem> items = new ArrayList<>(response.count());
        for (Map<String, AttributeValue> item : response.items()) {
            items.add(ItemAttributes.fromItem(item));
        }
        return new Scannable.ScanPage(items, lastKey(response.lastEvaluatedKey()));
    }

    /** A page of one parallel-scan segment: every client item, tombstones included, read consistently. */
    Scannable.ScanPage segment(int segment, int segments, String exclusiveStartKey, int pageSize) {
        ScanRequest.Builder request = ScanRequest.builder().tableName(table).limit(pageSize).consistentRead(true)
                .segment(segment).totalSegments(segments)
                .filterExpression("NOT begins_with(#pk, :reserved)")
                .expressionAttributeNames(ItemAttributes.namesIn("#pk"))
                .expressionAttributeValues(Map.of(":reserved", ItemAttributes.s(Keys.RESERVED_PREFIX)));
        if (exclusiveStartKey != null) {
            request.exclusiveStartKey(ItemAttributes.key(exclusiveStartKey));
        }
        ScanResponse response = dynamo.scan(request.build());
        List<StoredItem> items = new ArrayList<>(response.count());
        for (Map<String, AttributeValue> item : response.items()) {
            items.add(ItemAttributes.fromItem(item));
        }
        return new Scannable.ScanPage(items, lastKey(response.lastEvaluatedKey()));
    }

    /**
     * A page of one parallel-scan segment, keys and versions only: the projection leaves the value out, which is
     * most of an item's bytes (DynamoDB still counts read units by whole items).
     */
    VersionScannable.VersionPage versions(int segment, int segments, String exclusiveStartKey, int pageSize,
            boolean consistent) {
        String projection = "#pk, #ver, #ts, #tomb, #exp";
        String filter = "NOT begins_with(#pk, :reserved)";
        ScanRequest.Builder request = ScanRequest.builder().tableName(table).limit(pageSize).consistentRead(consistent)
                .segment(segment).totalSegments(segments)
                .projectionExpression(projection)
                .filterExpression(filter)
                .expressionAttributeNames(ItemAttributes.namesIn(projection, filter))
                .expressionAttributeValues(Map.of(":reserved", ItemAttributes.s(Keys.RESERVED_PREFIX)));
        if (exclusiveStartKey != null) {
            request.exclusiveStartKey(ItemAttributes.key(exclusiveStartKey));
        }
        ScanResponse response = dynamo.scan(request.build());
        List<ItemVersion> versions = new ArrayList<>(response.count());
        for (Map<String, AttributeValue> item : response.items()) {
            versions.add(ItemAttributes.versionOf(item));
        }
        return new VersionScannable.VersionPage(versions, lastKey(response.lastEvaluatedKey()));
    }

    Scannable.CountPage count(String prefix, String exclusiveStartKey, int pageSize, boolean consistent) {
        ScanResponse response = dynamo.scan(request(prefix, exclusiveStartKey, pageSize, consistent)
                .select(Select.COUNT).build());
        return new Scannable.CountPage(response.count(), lastKey(response.lastEvaluatedKey()));
    }

    private ScanRequest.Builder request(String prefix, String exclusiveStartKey, int pageSize, boolean consistent) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":false", AttributeValue.fromBool(false));
        values.put(":reserved", ItemAttributes.s(Keys.RESERVED_PREFIX));
        String filter = FILTER_BASE;
        if (prefix != null && !prefix.isEmpty()) {
            filter += " AND begins_with(#pk, :prefix)";
            values.put(":prefix", ItemAttributes.s(prefix));
        }
        ScanRequest.Builder request = ScanRequest.builder()
                .tableName(table)
                .limit(pageSize)
                .consistentRead(consistent)
                .filterExpression(filter)
                .expressionAttributeNames(ItemAttributes.namesIn(filter))
                .expressionAttributeValues(values);
        if (exclusiveStartKey != null) {
            request.exclusiveStartKey(ItemAttributes.key(exclusiveStartKey));
        }
        return request;
    }

    private static String lastKey(Map<String, AttributeValue> lastEvaluatedKey) {
        return lastEvaluatedKey == null || lastEvaluatedKey.isEmpty() ? null : lastEvaluatedKey.get(ItemAttributes.PK).s();
    }
}
