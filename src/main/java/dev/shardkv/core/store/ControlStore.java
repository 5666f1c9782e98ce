package dev.shardkv.core.store;

import dev.shardkv.core.topology.ShardMap;
import java.util.Optional;

/** The control table: holds the shard map and its epoch. */
public interface ControlStore {

    Optional<ShardMap> loadShardMap();

    /** Stores the first shard map unless one is there already; returns the one that is there after. */
    ShardMap seedShardMap(ShardMap initial);
}
