package dev.shardkv.dynamodb;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.store.Scannable;
import dev.shardkv.core.store.VersionScannable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** A table of client items, leader or replica: its name, and scans that both kinds answer alike. */
abstract class ItemTable implements Scannable {
    protected final DynamoDbClient dynamo;
    protected final String table;
    private final TableScanner scanner;

    ItemTable(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
        this.scanner = new TableScanner(dynamo, table);
    }

    @Override
    public ScanPage scanLive(String prefix, String exclusiveStartKey, int pageSize, boolean consistent) {
        return scanner.scan(prefix, exclusiveStartKey, pageSize, consistent);
    }

    @Override
    public CountPage countLive(String prefix, String exclusiveStartKey, int pageSize, boolean consistent) {
        return scanner.count(prefix, exclusiveStartKey, pageSize, consistent);
    }

    public ScanPage scanSegment(int segment, int segments, String exclusiveStartKey, int pageSize) {
        return scanner.segment(segment, segments, exclusiveStartKey, pageSize);
    }

    public VersionScannable.VersionPage scanVersions(int segment, int segments, String exclusiveStartKey, int pageSize,
            boolean consistent) {
        return scanner.versions(segment, segments, exclusiveStartKey, pageSize, consistent);
    }

    public String table() {
        return table;
    }

    /** DynamoDB's item count of the table: on AWS updated about every six hours, so an estimate. */
    public long approximateCount() {
        Long count = dynamo.describeTable(b -> b.tableName(table)).table().itemCount();
        return count == null ? 0 : count;
    }

    /** Several keys by BatchGetItem, 100 at a time, unprocessed keys retried; absent keys left out. */
    protected List<StoredItem> batchGet(List<String> keys, boolean consistent) {
        List<StoredItem> found = new ArrayList<>();
        List<Map<String, AttributeValue>> pending = keys.stream().distinct().map(ItemAttributes::key).toList();
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt == 8) {
                throw new IllegalStateException("table " + table + " left keys unprocessed after retries");
            }
            if (attempt > 0) {
                sleep(Math.min(200, 10L << attempt));
            }
            List<Map<String, AttributeValue>> next = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += 100) {
                BatchGetItemResponse response = dynamo.batchGetItem(BatchGetItemRequest.builder()
                        .requestItems(Map.of(table, KeysAndAttributes.builder()
                                .keys(pending.subList(from, Math.min(pending.size(), from + 100)))
                                .consistentRead(consistent).build()))
                        .build());
                response.responses().getOrDefault(table, List.of()).forEach(i -> found.add(ItemAttributes.fromItem(i)));
                if (response.hasUnprocessedKeys() && response.unprocessedKeys().containsKey(table)) {
                    next.addAll(response.unprocessedKeys().get(table).keys());
                }
            }
            pending = next;
        }
        return found;
    }

    protected static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

