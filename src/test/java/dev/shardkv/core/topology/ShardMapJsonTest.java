package dev.shardkv.core.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.testing.Maps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shard map as the control table stores it: lineage when there is some, the old JSON when not. */
class ShardMapJsonTest {
    private static final String EPOCH1 = "{\"epoch\":1,\"routing\":\"range\",\"shards\":["
            + "{\"id\":\"a-l\",\"end\":\"m\",\"leader\":\"t-a-l-leader\",\"replicas\":[\"t-a-l-replica-1\",\"t-a-l-replica-2\"]},"
            + "{\"id\":\"m-z\",\"start\":\"m\",\"leader\":\"t-m-z-leader\",\"replicas\":[\"t-m-z-replica-1\",\"t-m-z-replica-2\"]}]}";

    @Test
    void aMapThatWasNeverReshardedWritesTheJsonItAlwaysDid() {
        assertThat(Maps.epoch1().toJson()).isEqualTo(EPOCH1);
        assertThat(Maps.epoch1().successors()).isEmpty();
        assertThat(ShardMap.parse(EPOCH1)).isEqualTo(Maps.epoch1());
        assertThat(ShardMap.parse(EPOCH1).successors()).as("absent reads as empty, never null").isEmpty();
    }

    @Test
    void aMapWithSuccessorsRoundTripsInOrder() {
        Map<String, List<String>> successors = new LinkedHashMap<>();
        successors.put("z-retired", List.of("a-l"));
        successors.put("a-retired", List.of("g-l", "m-z"));
        ShardMap map = new ShardMap(3, RoutingMode.RANGE, Maps.split(3).shards(), successors);

        String json = map.toJson();
        assertThat(json).contains("\"successors\":{\"z-retired\":[\"a-l\"],\"a-retired\":[\"g-l\",\"m-z\"]}");
        ShardMap read = ShardMap.parse(json);
        assertThat(read).isEqualTo(map);
        assertThat(read.successors().keySet()).as("oldest first, as written").containsExactly("z-retired", "a-retired");
        assertThat(read.toJson()).isEqualTo(json);
    }

    @Test
    void successorsAreCopiedAndCannotBeChanged() {
        Map<String, List<String>> successors = new LinkedHashMap<>();
        successors.put("a-z", new java.util.ArrayList<>(List.of("a-l", "m-z")));
        ShardMap map = new ShardMap(2, RoutingMode.RANGE, Maps.epoch1().shards(), successors);
        successors.get("a-z").add("x");
        successors.put("b", List.of());
        assertThat(map.successors()).isEqualTo(Map.of("a-z", List.of("a-l", "m-z")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> map.successors().put("c", List.of()))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void ownersOfALiveShardIsItself() {
        ShardMap map = Maps.epoch1();
        assertThat(map.owners("a-l")).containsExactly(map.shard("a-l").orElseThrow());
        assertThat(map.owners("g-l")).isEmpty();
    }
}
