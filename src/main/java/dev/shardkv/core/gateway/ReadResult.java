package dev.shardkv.core.gateway;

import dev.shardkv.core.kv.StoredItem;
import java.util.OptionalLong;

/**
 * A read's answer and who gave it.
 *
 * @param item     the live item, or null when the key is absent or deleted
 * @param servedBy {@code <shard>/leader} or {@code <shard>/<name>}, where a replica's name is {@code replica-<n>}
 * @param lagMs    how far behind the answer may be: 0 from the leader, the replica's lag otherwise
 */
public record ReadResult(String key, String shard, StoredItem item, String servedBy, OptionalLong lagMs) {
    public boolean found() {
        return item != null;
    }
}
