package dev.shardkv.core.testing;

import dev.shardkv.core.topology.RoutingMode;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.Topology;
import java.util.List;

/**
 * Shard maps for tests. Epoch 1 (from {@link #TOPOLOGY}): a-l = [.., "m"), m-z = ["m", ..), two replicas
 * each. Epoch 2 splits a-l at "g": a-l = [.., "g"), g-l = ["g", "m"), m-z unchanged; so "hotel" moves
 * from a-l to g-l while "alpha" and "mike" stay where they were.
 */
public final class Maps {
    public static final Topology TOPOLOGY = Topology.parse("""
            {"prefix": "t", "routing": "range", "shards": [
              {"id": "a-l", "end": "m", "replicas": 2},
              {"id": "m-z", "start": "m", "replicas": 2}]}""");

    private Maps() {
    }

    public static ShardMap epoch1() {
        return ShardMap.initial(TOPOLOGY);
    }

    public static ShardMap epoch2() {
        return split(2);
    }

    /** The epoch-2 layout under any later epoch. */
    public static ShardMap split(long epoch) {
        return new ShardMap(epoch, RoutingMode.RANGE, List.of(
                entry("a-l", null, "g"), entry("g-l", "g", "m"), entry("m-z", "m", null)));
    }

    public static ShardEntry entry(String id, String start, String end) {
        return new ShardEntry(id, start, end, "t-" + id + "-leader", List.of("t-" + id + "-replica-1", "t-" + id + "-replica-2"));
    }
}
