package dev.shardkv.core.store;

import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.kv.WriteOutcome;
import java.util.List;
import java.util.Optional;

/** A shard's leader table: every change is one atomic, conditional, versioned write. */
public interface LeaderStore extends Scannable, VersionScannable {

    /** Sets the value; version +1 (1 for a new key, the tombstone's +1 over a deleted one). */
    WriteOutcome put(String key, String valueJson, long ts, Precondition precondition);

    /** Turns a live key into a tombstone; version +1. {@link WriteOutcome.NotFound} when not live. */
    WriteOutcome delete(String key, long ts, long expiresAtEpochSeconds, Precondition precondition);

    /** A strongly consistent read, tombstones included. */
    Optional<StoredItem> get(String key);

    /** Several keys, strongly consistent, tombstones included; absent keys are left out. */
    default List<StoredItem> getAll(List<String> keys) {
        return keys.stream().distinct().map(this::get).flatMap(Optional::stream).toList();
    }

    /** About how many items the table holds (DynamoDB's count, refreshed every few hours on AWS): for progress. */
    default long approximateCount() {
        return 0;
    }

    /**
     * One page of one segment of a consistent parallel scan of every client item, tombstones included (what a
     * reshard copies, so that versions never go back on the new owner); reserved items are left out.
     */
    ScanPage scanSegment(int segment, int segments, String exclusiveStartKey, int pageSize);

    String table();
}
