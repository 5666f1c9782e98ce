package dev.shardkv.core.store;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.ApplyResult;
import dev.shardkv.core.replication.Watermark;
import java.util.Optional;

/** One replica table: written only by its shard's replicator, read by its shard's reader. */
public interface ReplicaStore {

    /** Applies an item image if it is newer than what the replica holds (see {@code ApplyRule}). */
    ApplyResult apply(StoredItem item);

    /** Removes a key unless the replica holds a version newer than {@code removedVersion}. */
    ApplyResult remove(String key, Long removedVersion);

    /** An eventually consistent read, tombstones included. */
    Optional<StoredItem> get(String key);

    Optional<Watermark> watermark();

    void saveWatermark(Watermark watermark);

    String table();
}
