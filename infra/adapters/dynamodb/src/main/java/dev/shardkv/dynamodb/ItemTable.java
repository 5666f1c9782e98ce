package dev.shardkv.dynamodb;

import dev.shardkv.core.store.Scannable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

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

    public String table() {
        return table;
    }
}
