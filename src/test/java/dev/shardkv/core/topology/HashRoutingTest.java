package dev.shardkv.core.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HashRoutingTest {
    static final ShardMap FOUR = ShardMap.initial(Topology.parse("""
            {"prefix":"kv","routing":"hash","shards":[
              {"id":"00-3f","end":"40","replicas":1},
              {"id":"40-7f","start":"40","end":"80","replicas":1},
              {"id":"80-bf","start":"80","end":"c0","replicas":1},
              {"id":"c0-ff","start":"c0","replicas":1}]}"""));

    @Test
    void theHashIsMurmur3AsAnIndependentImplementationComputesIt() {
        for (String key : new String[] {"hello", "user-1", "Ünïcødé", "😀", "x".repeat(1024)}) {
            long guava = com.google.common.hash.Hashing.murmur3_128()
                    .hashBytes(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)).asLong();
            assertThat(RoutingKeys.hash(key)).isEqualTo(java.util.HexFormat.of().toHexDigits(guava));
        }
    }

    @Test
    void theHashIsStableAcrossVersionsAndMachines() {
        // Data placement depends on this exact value: it must never change.
        assertThat(RoutingKeys.hash("hello")).isEqualTo("cbd8a7b341bd9b02");
        assertThat(RoutingKeys.hash("user-1")).hasSize(16).matches("[0-9a-f]{16}");
        assertThat(RoutingKeys.hash("Hello")).isNotEqualTo(RoutingKeys.hash("hello"));
    }

    @Test
    void skewedKeysSpreadEvenly() {
        // Every key starts with "user-": range routing would put all of them on one shard.
        Map<String, Integer> counts = new HashMap<>();
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            counts.merge(FOUR.route("user-" + i).id(), 1, Integer::sum);
        }
        assertThat(counts).hasSize(4);
        counts.values().forEach(c -> assertThat(c).isBetween((int) (n * 0.23), (int) (n * 0.27)));
    }

    @Test
    void hashBoundsAreHexPrefixesOfTheSixteenDigitKey() {
        assertThat(FOUR.route("hello").id()).isEqualTo("c0-ff"); // cbd8...
        assertThat(FOUR.shards().get(2).covers("8000000000000000")).isTrue();
        assertThat(FOUR.shards().get(1).covers("7fffffffffffffff")).isTrue();
        assertThat(FOUR.shards().get(1).covers("8000000000000000")).isFalse();
    }
}
