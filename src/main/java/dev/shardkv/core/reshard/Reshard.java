package dev.shardkv.core.reshard;

import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import java.util.List;

/**
 * A checked plan for one split or merge: the shards it retires, the shards that take their range
 * (with their tables, named as the topology names them) and the shard map once it is done.
 */
public record Reshard(OperationKind kind, List<ShardEntry> sources, List<ShardEntry> targets, ShardMap next) {
    public Reshard {
        sources = List.copyOf(sources);
        targets = List.copyOf(targets);
    }
}
