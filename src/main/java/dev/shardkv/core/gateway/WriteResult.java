package dev.shardkv.core.gateway;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.kv.StoredItem;

/** An acknowledged write: it is on the leader table. */
public record WriteResult(String key, String shard, StoredItem item, boolean created, ConsistencyToken token) {
}
