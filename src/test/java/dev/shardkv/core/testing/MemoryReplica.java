package dev.shardkv.core.testing;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.ApplyResult;
import dev.shardkv.core.replication.ApplyRule;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.store.ReplicaStore;
import java.util.List;
import java.util.Optional;

/** A replica table in memory, applying images by the real ApplyRule. */
public class MemoryReplica extends MemoryTable implements ReplicaStore {
    private volatile Watermark watermark;
    private volatile int saves;

    public MemoryReplica(String table) {
        super(table);
    }

    @Override
    public synchronized ApplyResult apply(StoredItem item) {
        if (!ApplyRule.accepts(items.get(item.key()), item)) {
            return ApplyResult.ALREADY_APPLIED;
        }
        items.put(item.key(), item);
        return ApplyResult.APPLIED;
    }

    @Override
    public synchronized ApplyResult remove(String key, Long removedVersion) {
        if (!ApplyRule.acceptsRemoval(items.get(key), removedVersion)) {
            return ApplyResult.ALREADY_APPLIED;
        }
        items.remove(key);
        return ApplyResult.APPLIED;
    }

    @Override
    public synchronized boolean replace(String key, Long expectedVersion, StoredItem item) {
        StoredItem current = items.get(key);
        if (current == null ? expectedVersion != null : !Long.valueOf(current.version()).equals(expectedVersion)) {
            return false;
        }
        if (item == null) {
            items.remove(key);
        } else {
            items.put(key, item);
        }
        return true;
    }

    @Override
    public List<StoredItem> getAll(List<String> keys) {
        return keys.stream().map(items::get).filter(java.util.Objects::nonNull).toList();
    }

    @Override
    public List<StoredItem> getAllConsistent(List<String> keys) {
        return getAll(keys);
    }

    @Override
    public Optional<Watermark> watermark() {
        return Optional.ofNullable(watermark);
    }

    @Override
    public void saveWatermark(Watermark watermark) {
        this.watermark = watermark;
        saves++;
    }

    public int watermarkSaves() {
        return saves;
    }
}
