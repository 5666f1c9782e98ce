package dev.shardkv.core.store;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.ApplyResult;
import dev.shardkv.core.replication.Watermark;
import java.util.Optional;

/** One replica table: written only by its shard's replicator, read by its shard's reader. */
public interface ReplicaStore extends Scannable {

    /** Applies an item image if it is newer than what the replica holds (see {@code ApplyRule}). */
    ApplyResult apply(StoredItem item);

    /** Removes a key unless the replica holds a version newer than {@code removedVersion}. */
    ApplyResult remove(String key, Long removedVersion);

    /** An eventually consistent read, tombstones included. */
    Optional<StoredItem> get(String key);

    /** Several keys in one go (BatchGetItem), eventually consistent; absent keys are left out. */
    java.util.List<StoredItem> getAll(java.util.List<String> keys);

    Optional<Watermark> watermark();

    void saveWatermark(Watermark watermark);

    String table();
}
