package dev.shardkv.core.reshard;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.ApplyResult;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.store.ReplicaStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * A target leader as the copy or the catch-up writes it. A batch apply reads the versions held, then
 * writes the newer images unconditionally: safe for one writer per key only. The copy's segments hold
 * different keys, so its lanes share the target (the read lock); a catch-up batch may touch any key, so
 * it has the target to itself (the write lock), and neither can write over the other's newer version.
 */
final class TargetWrites implements ReplicaStore {
    private final ReplicaStore target;
    private final Lock lock;

    TargetWrites(ReplicaStore target, Lock lock) {
        this.target = target;
        this.lock = lock;
    }

    @Override
    public Map<String, ApplyResult> applyAll(List<StoredItem> items) {
        lock.lock();
        try {
            return target.applyAll(items);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ApplyResult apply(StoredItem item) {
        return applyAll(List.of(item)).get(item.key());
    }

    @Override
    public ApplyResult remove(String key, Long removedVersion) {
        lock.lock();
        try {
            return target.remove(key, removedVersion);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean replace(String key, Long expectedVersion, StoredItem item) {
        lock.lock();
        try {
            return target.replace(key, expectedVersion, item);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<StoredItem> get(String key) {
        return target.get(key);
    }

    @Override
    public List<StoredItem> getAll(List<String> keys) {
        return target.getAll(keys);
    }

    @Override
    public List<StoredItem> getAllConsistent(List<String> keys) {
        return target.getAllConsistent(keys);
    }

    @Override
    public Optional<Watermark> watermark() {
        return target.watermark();
    }

    @Override
    public void saveWatermark(Watermark watermark) {
        target.saveWatermark(watermark);
    }

    @Override
    public String table() {
        return target.table();
    }

    @Override
    public ScanPage scanLive(String prefix, String exclusiveStartKey, int pageSize, boolean consistent) {
        return target.scanLive(prefix, exclusiveStartKey, pageSize, consistent);
    }

    @Override
    public CountPage countLive(String prefix, String exclusiveStartKey, int pageSize, boolean consistent) {
        return target.countLive(prefix, exclusiveStartKey, pageSize, consistent);
    }

    @Override
    public VersionPage scanVersions(int segment, int segments, String exclusiveStartKey, int pageSize, boolean consistent) {
        return target.scanVersions(segment, segments, exclusiveStartKey, pageSize, consistent);
    }
}
