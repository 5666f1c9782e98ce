package dev.shardkv.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardkv.core.verify.LastVerification;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One EMF line per replica verified: ReplicaDivergentItems, its unrepaired differences, under {Shard, Replica}. */
class EmfVerificationMetricsTest {

    @Test
    void oneLinePerReplicaWithTheUnrepairedDifferences() throws Exception {
        List<JsonNode> lines = capture(() -> {
            EmfVerificationMetrics metrics = new EmfVerificationMetrics("ShardKV");
            metrics.verified(1, new LastVerification("a-l", "shardkv-a-l-replica-1", 1, 1, 2, 1, 1, "op-1"));
            metrics.verified(2, new LastVerification("a-l", "shardkv-a-l-replica-2", 1, 0, 0, 0, 0, "op-1"));
        });
        assertThat(lines).hasSize(2);
        for (JsonNode line : lines) {
            JsonNode directive = line.get("_aws").get("CloudWatchMetrics").get(0);
            assertThat(directive.get("Namespace").asText()).isEqualTo("ShardKV");
            assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"Shard\",\"Replica\"]]");
            assertThat(directive.get("Metrics").get(0).get("Name").asText()).isEqualTo("ReplicaDivergentItems");
            assertThat(line.get("Shard").asText()).isEqualTo("a-l");
            assertThat(line.has("Service")).as("no Service dimension").isFalse();
        }
        assertThat(lines.get(0).get("Replica").asText()).isEqualTo("replica-1");
        assertThat(lines.get(0).get("ReplicaDivergentItems").asDouble()).isEqualTo(3.0);
        assertThat(lines.get(1).get("Replica").asText()).isEqualTo("replica-2");
        assertThat(lines.get(1).get("ReplicaDivergentItems").asDouble()).isZero();
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
