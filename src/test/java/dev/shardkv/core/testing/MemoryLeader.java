package dev.shardkv.core.testing;

import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.kv.WriteOutcome;
import dev.shardkv.core.store.LeaderStore;

/** A leader table in memory, with the conditional, versioned writes of the real one. */
public class MemoryLeader extends MemoryTable implements LeaderStore {

    public MemoryLeader(String table) {
        super(table);
    }

    @Override
    public synchronized WriteOutcome put(String key, String valueJson, long ts, Precondition precondition) {
        StoredItem current = items.get(key);
        if (!precondition.holdsFor(current)) {
            return new WriteOutcome.PreconditionFailed(current);
        }
        StoredItem written = StoredItem.live(key, valueJson, current == null ? 1 : current.version() + 1, ts);
        items.put(key, written);
        return new WriteOutcome.Written(written, current == null || !current.isLive());
    }

    @Override
    public synchronized WriteOutcome delete(String key, long ts, long expiresAtEpochSeconds, Precondition precondition) {
        StoredItem current = items.get(key);
        if (current == null || !current.isLive()) {
            return new WriteOutcome.NotFound(current);
        }
        if (!precondition.holdsFor(current)) {
            return new WriteOutcome.PreconditionFailed(current);
        }
        StoredItem tombstone = StoredItem.tombstone(key, current.version() + 1, ts, expiresAtEpochSeconds);
        items.put(key, tombstone);
        return new WriteOutcome.Deleted(tombstone);
    }
}
