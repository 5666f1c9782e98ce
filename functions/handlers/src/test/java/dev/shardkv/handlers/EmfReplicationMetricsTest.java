package dev.shardkv.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.ApplyResult;
import dev.shardkv.core.replication.ChangeRecord;
import dev.shardkv.core.replication.Watermark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The EMF lines Powertools writes (AWS_EMF_ENVIRONMENT=Local prints them to stdout, as the Lambda
 * runtime would ship them to CloudWatch Logs): namespace, dimensions {Shard, Replica}, the metric
 * names, every delay value, and one lag value per replica per batch.
 */
class EmfReplicationMetricsTest {

    @Test
    void onePerReplicaPerBatchWithEveryDelayValueAndTheLag() throws Exception {
        List<JsonNode> lines = capture(() -> {
            EmfReplicationMetrics metrics = new EmfReplicationMetrics("ShardKV");
            for (int i = 0; i < 150; i++) {
                metrics.applied("a-l", 1, ChangeRecord.upsert("" + i, StoredItem.live("k" + i, "1", 1, 1_000)),
                        ApplyResult.APPLIED, 1_000 + i);
            }
            metrics.watermark("a-l", 1, new Watermark(1_000, "149", 1_149));
            metrics.applied("a-l", 2, ChangeRecord.upsert("h", StoredItem.live(Keys.HEARTBEAT_KEY, "1", 9, 2_000)),
                    ApplyResult.APPLIED, 2_040);
            metrics.watermark("a-l", 2, new Watermark(2_000, "h", 2_040));
            metrics.failed("a-l", 2, ChangeRecord.upsert("x", StoredItem.live("x", "1", 1, 1)), new RuntimeException());
            metrics.batchDone("a-l");
        });
        assertThat(lines).hasSize(3); // replica 1: 150 values -> 2 lines; replica 2: 1 line
        for (JsonNode line : lines) {
            JsonNode directive = line.get("_aws").get("CloudWatchMetrics").get(0);
            assertThat(directive.get("Namespace").asText()).isEqualTo("ShardKV");
            assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"Shard\",\"Replica\"]]");
            assertThat(line.get("Shard").asText()).isEqualTo("a-l");
            assertThat(line.has("Service")).as("no Service dimension").isFalse();
        }
        JsonNode first = lines.get(0);
        assertThat(first.get("Replica").asText()).isEqualTo("replica-1");
        assertThat(first.get("ReplicationDelayMs")).hasSize(100);
        assertThat(first.get("ReplicatedRecords").asLong()).isEqualTo(150);
        assertThat(first.get("ReplicaLagMs").asDouble()).as("lag when the newest record was applied").isEqualTo(149.0);
        assertThat(lines.get(1).get("ReplicationDelayMs")).hasSize(50);
        assertThat(lines.get(1).get("ReplicationDelayMs").get(49).asDouble()).isEqualTo(149.0);
        assertThat(lines.get(1).has("ReplicaLagMs")).as("once per replica per batch").isFalse();
        JsonNode second = lines.get(2);
        assertThat(second.get("Replica").asText()).isEqualTo("replica-2");
        assertThat(second.get("HeartbeatAgeMs").asDouble()).isEqualTo(40.0);
        assertThat(second.get("ReplicaLagMs").asDouble()).isEqualTo(40.0);
        assertThat(second.get("ReplicationErrors").asLong()).isEqualTo(1);
    }

    private static List<JsonNode> capture(Runnable action) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        List<JsonNode> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.contains("\"_aws\"")) {
                lines.add(json.readTree(line.substring(line.indexOf('{'))));
            }
        }
        return lines;
    }
}
