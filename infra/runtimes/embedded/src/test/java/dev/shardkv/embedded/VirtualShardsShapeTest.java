package dev.shardkv.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulated stream's shape: what a user may ask for, and how keys spread over its lanes. */
class VirtualShardsShapeTest {

    @Test
    void keysSpreadOverEveryLaneAndEachKeyAlwaysTakesTheSameOne() {
        VirtualShards.Shape shape = new VirtualShards.Shape(4, 2, Map.of());
        assertThat(shape.lanes()).containsExactly("vs0/0", "vs0/1", "vs1/0", "vs1/1", "vs2/0", "vs2/1", "vs3/0", "vs3/1");
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 8_000; i++) {
            String key = "user-" + i;
            String lane = shape.laneOf(key);
            assertThat(shape.laneOf(key)).isEqualTo(lane);
            assertThat(lane).startsWith("vs" + shape.shardOf(key) + "/");
            counts.merge(lane, 1, Integer::sum);
        }
        assertThat(counts).hasSize(8);
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1_200)); // 1,000 each, give or take
        assertThat(new VirtualShards.Shape(1, 1, Map.of()).simulated()).isFalse();
        assertThat(new VirtualShards.Shape(1, 1, Map.of(0, Duration.ofSeconds(1))).simulated()).isTrue();
    }

    @Test
    void delaysAndSplitsAreReadAsUsersWriteThem() {
        assertThat(VirtualShards.Shape.delays("2=3s, 0=500ms")).containsExactly(
                Map.entry(0, Duration.ofMillis(500)), Map.entry(2, Duration.ofSeconds(3)));
        assertThat(VirtualShards.Shape.delays("")).isEmpty();
        assertThat(VirtualShards.Shape.splits("1@30s")).containsExactly(Map.entry(1, Duration.ofSeconds(30)));
    }

    @Test
    void aShapeAwsCannotHaveIsRefusedWithTheReason() {
        assertThatThrownBy(() -> new VirtualShards.Shape(0, 1, Map.of())).hasMessageContaining("stream shards must be 1 to 64");
        assertThatThrownBy(() -> new VirtualShards.Shape(65, 1, Map.of())).hasMessageContaining("1 to 64");
        assertThatThrownBy(() -> new VirtualShards.Shape(4, 0, Map.of())).hasMessageContaining("parallelization factor must be 1 to 10");
        assertThatThrownBy(() -> new VirtualShards.Shape(4, 11, Map.of())).hasMessageContaining("1 to 10");
        assertThatThrownBy(() -> new VirtualShards.Shape(4, 1, Map.of(4, Duration.ofSeconds(1))))
                .hasMessageContaining("virtual stream shard 4 of 4");
        assertThatThrownBy(() -> VirtualShards.Shape.delays("2:3s")).hasMessageContaining("is not shard=delay");
        assertThatThrownBy(() -> VirtualShards.Shape.delays("2=3")).hasMessageContaining("is not shard=delay");
        assertThatThrownBy(() -> VirtualShards.Shape.delays("x=3s")).hasMessageContaining("is not shard=delay");
        assertThatThrownBy(() -> VirtualShards.Shape.splits("1:30s")).hasMessageContaining("stream split \"1:30s\" is not shard@after");
        assertThatThrownBy(() -> new VirtualShards.Shape(2, 1, Map.of(), Map.of(2, Duration.ofSeconds(1))))
                .hasMessageContaining("a split names virtual stream shard 2 of 2");
    }
}
