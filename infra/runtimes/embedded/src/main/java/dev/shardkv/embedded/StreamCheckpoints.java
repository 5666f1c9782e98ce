package dev.shardkv.embedded;

import dev.shardkv.dynamodb.ItemAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where each leader stream's pump has got to, kept across restarts as the event source mapping
 * keeps its position: per stream shard, the sequence number of the last record the replicator
 * fully applied (or that was parked).
 *
 * <p>Kept in the control table, one item per ShardKV shard, rather than in a file beside the
 * database: the position then lives in the same SQLite file as the stream it points into, so a
 * copied, restored or deleted database can never be paired with a position from another one
 * (a position beyond the stream's end would silently skip records). The item also names the
 * stream, so a recreated leader table starts its new stream from the beginning.
 */
public final class StreamCheckpoints {
    static final String PK_PREFIX = "__shardkv#stream-checkpoint#";
    static final String STREAM = "stream";
    static final String POSITIONS = "positions";
    static final String SAVED_AT = "savedAt";

    private final DynamoDbClient dynamo;
    private final String table;

    public StreamCheckpoints(DynamoDbClient dynamo, String controlTable) {
        this.dynamo = dynamo;
        this.table = controlTable;
    }

    /** The saved positions (stream shard id to sequence number) of this stream; empty when none or another stream's. */
    public Map<String, String> load(String shard, String streamArn) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(ItemAttributes.key(PK_PREFIX + shard)).consistentRead(true)).item();
        AttributeValue stream = item == null ? null : item.get(STREAM);
        if (stream == null || !streamArn.equals(stream.s()) || !item.containsKey(POSITIONS)) {
            return Map.of();
        }
        Map<String, String> positions = new LinkedHashMap<>();
        item.get(POSITIONS).m().forEach((shardId, sequenceNumber) -> positions.put(shardId, sequenceNumber.s()));
        return positions;
    }

    public void save(String shard, String streamArn, Map<String, String> positions) {
        Map<String, AttributeValue> saved = new LinkedHashMap<>();
        positions.forEach((shardId, sequenceNumber) -> saved.put(shardId, AttributeValue.fromS(sequenceNumber)));
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                ItemAttributes.PK, AttributeValue.fromS(PK_PREFIX + shard),
                STREAM, AttributeValue.fromS(streamArn),
                POSITIONS, AttributeValue.fromM(saved),
                SAVED_AT, AttributeValue.fromN(Long.toString(System.currentTimeMillis())))));
    }
}
