package dev.shardkv.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a leader's stream as the event source mapping does (each shard from its start, then onwards from
 * where the last read stopped) and wraps its records into the DynamodbEvent Lambda delivers: the same
 * records, plus eventSourceARN.
 */
final class Streams {
    private final RawDynamo dynamo;
    private final Map<String, String> iterators = new HashMap<>(); // by stream shard id
    private final Map<String, String> streamArns = new HashMap<>(); // by table
    private final Set<String> withRecords = new HashSet<>(); // stream shard ids that have given a record

    Streams(RawDynamo dynamo) {
        this.dynamo = dynamo;
    }

    /** The records written to {@code table} since the last read. */
    synchronized List<ObjectNode> read(String table) {
        String streamArn = streamArns.computeIfAbsent(table, t -> {
            JsonNode d = dynamo.call("DynamoDB_20120810.DescribeTable", Smoke.JSON.createObjectNode().put("TableName", t));
            String arn = d.path("Table").path("LatestStreamArn").asText(null);
            if (arn == null) {
                throw new IllegalStateException(t + " has no stream");
            }
            return arn;
        });
        JsonNode description = dynamo.call("DynamoDBStreams_20120810.DescribeStream",
                Smoke.JSON.createObjectNode().put("StreamArn", streamArn)).path("StreamDescription");
        List<ObjectNode> records = new ArrayList<>();
        for (JsonNode shard : description.path("Shards")) {
            String id = shard.path("ShardId").asText();
            String iterator = iterators.get(id);
            if (iterator == null) {
                iterator = dynamo.call("DynamoDBStreams_20120810.GetShardIterator", Smoke.JSON.createObjectNode()
                        .put("StreamArn", streamArn).put("ShardId", id).put("ShardIteratorType", "TRIM_HORIZON"))
                        .path("ShardIterator").asText();
            }
            boolean fromStart = !iterators.containsKey(id);
            while (iterator != null && !iterator.isEmpty()) {
                JsonNode page;
                try {
                    page = dynamo.call("DynamoDBStreams_20120810.GetRecords",
                            Smoke.JSON.createObjectNode().put("ShardIterator", iterator).put("Limit", 1000));
                } catch (IllegalStateException e) {
                    if (fromStart && String.valueOf(e.getMessage()).contains("TrimmedDataAccessException")) {
                        iterator = null; // DynamoDB Local's answer to a shard with no record yet: nothing to read
                        break;
                    }
                    throw e;
                }
                fromStart = false;
                if (!page.path("Records").isEmpty()) {
                    withRecords.add(id);
                }
                for (JsonNode r : page.path("Records")) {
                    ObjectNode record = (ObjectNode) r.deepCopy();
                    record.put("eventSourceARN", streamArn);
                    records.add(record);
                }
                String next = page.path("NextShardIterator").asText(null);
                if (page.path("Records").isEmpty() || next == null) {
                    iterator = next;
                    break;
                }
                iterator = next;
            }
            // An iterator is kept once the shard has given a record: DynamoDB Local's iterator after an empty
            // read of a shard that never had one answers TrimmedDataAccessException once records come, when
            // other tables were written meanwhile (StreamsTest). A staged shard's stream is empty until its
            // split, so a shard without records is read from its start each time.
            if (iterator != null && withRecords.contains(id)) {
                iterators.put(id, iterator);
            }
        }
        return records;
    }

    /** The DynamodbEvent of these records. */
    byte[] event(List<ObjectNode> records) {
        ObjectNode event = Smoke.JSON.createObjectNode();
        event.putArray("Records").addAll(records);
        try {
            return Smoke.JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
