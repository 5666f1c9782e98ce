package dev.shardkv.core.store;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.ApplyResult;
import dev.shardkv.core.replication.ApplyRule;
import dev.shardkv.core.replication.Watermark;
import java.util.Optional;

/** One replica table: written only by its shard's replicator, read by its shard's reader. */
public interface ReplicaStore extends Scannable, VersionScannable {

    /** Applies an item image if it is newer than what the replica holds (see {@code ApplyRule}). */
    ApplyResult apply(StoredItem item);

    /**
     * Applies many item images at once, each by the same rule as {@link #apply}: per key, the newest
     * image wins unless the replica already holds that version or a newer one. The caller must be the
     * only writer of these keys while it runs (the shard's replicator is: one batch at a time per
     * stream shard, and a key lives in one stream shard). The answer has one result per key.
     */
    default java.util.Map<String, ApplyResult> applyAll(java.util.List<StoredItem> items) {
        java.util.Map<String, StoredItem> newest = ApplyRule.newestPerKey(items);
        java.util.Map<String, ApplyResult> results = new java.util.LinkedHashMap<>();
        newest.values().forEach(item -> results.put(item.key(), apply(item)));
        return results;
    }

    /** Removes a key unless the replica holds a version newer than {@code removedVersion}. */
    ApplyResult remove(String key, Long removedVersion);

    /** An eventually consistent read, tombstones included. */
    Optional<StoredItem> get(String key);

    /** Several keys in one go (BatchGetItem), eventually consistent; absent keys are left out. */
    java.util.List<StoredItem> getAll(java.util.List<String> keys);

    /** Several keys, strongly consistent, absent keys left out: what a verification re-checks a difference against. */
    java.util.List<StoredItem> getAllConsistent(java.util.List<String> keys);

    /**
     * Replaces what the replica holds for a key with {@code item} (a leader's item), or removes the key when
     * {@code item} is null, only if the replica still holds exactly {@code expectedVersion} (null: nothing).
     * The one write around the {@link ApplyRule}, for a repair: it can take a forged higher version back to
     * the leader's, and, conditioned on the state the repair found, it can never overwrite a newer replicated
     * write. False when the condition failed (nothing was written).
     */
    boolean replace(String key, Long expectedVersion, StoredItem item);

    Optional<Watermark> watermark();

    void saveWatermark(Watermark watermark);

    String table();
}
