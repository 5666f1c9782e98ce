package dev.shardkv.functions.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardkv.core.gateway.ShardLoad;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * The gateway's per-shard load rates in EMF (AWS_EMF_ENVIRONMENT=Local prints them to stdout): one line per
 * shard, dimension exactly {Shard}, ShardReadsPerSecond, ShardWritesPerSecond and ShardHot.
 */
class LoadMetricsTest {

    @Test
    void oneLinePerShardWithItsRatesAndWhetherItIsHot() throws Exception {
        List<JsonNode> lines = capture(() -> LoadMetrics.flushRates(MetricsFactory.getMetricsInstance(), "ShardKV",
                List.of(new ShardLoad.Report("a-l", new ShardLoad.Rates(120.5, 30, 4096), true, "g", null),
                        new ShardLoad.Report("m-s", new ShardLoad.Rates(2, 0, 0), false, null, null))));
        assertThat(lines).hasSize(2);
        for (JsonNode line : lines) {
            JsonNode directive = line.get("_aws").get("CloudWatchMetrics").get(0);
            assertThat(directive.get("Namespace").asText()).isEqualTo("ShardKV");
            assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"Shard\"]]");
            assertThat(line.has("Service")).as("no Service dimension").isFalse();
        }
        assertThat(lines.get(0).get("Shard").asText()).isEqualTo("a-l");
        assertThat(lines.get(0).get("ShardReadsPerSecond").asDouble()).isEqualTo(120.5);
        assertThat(lines.get(0).get("ShardWritesPerSecond").asDouble()).isEqualTo(30.0);
        assertThat(lines.get(0).get("ShardHot").asDouble()).isEqualTo(1.0);
        assertThat(lines.get(1).get("Shard").asText()).isEqualTo("m-s");
        assertThat(lines.get(1).get("ShardHot").asDouble()).isEqualTo(0.0);
    }

    @Test
    void theRatesGoOutAtMostOnceASecond() {
        LoadMetrics metrics = new LoadMetrics();
        long now = 1_764_571_200_000L;
        assertThat(metrics.ratesDue(now)).as("the first time").isTrue();
        assertThat(metrics.ratesDue(now + 999)).isFalse();
        assertThat(metrics.ratesDue(now + 1_000)).isTrue();
        assertThat(metrics.ratesDue(now + 1_500)).isFalse();
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
