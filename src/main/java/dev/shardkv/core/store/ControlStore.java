package dev.shardkv.core.store;

import dev.shardkv.core.topology.ShardMap;
import java.util.Optional;

/** The control table: holds the shard map and its epoch. */
public interface ControlStore {

    Optional<ShardMap> loadShardMap();

    /** Stores the first shard map unless one is there already; returns the one that is there after. */
    ShardMap seedShardMap(ShardMap initial);

    /**
     * Replaces the map with the next one only if the stored one is still at {@code expectedEpoch} (a
     * conditional write: two operations can never both publish over one map). Whether it did.
     */
    boolean publish(ShardMap next, long expectedEpoch);
}
