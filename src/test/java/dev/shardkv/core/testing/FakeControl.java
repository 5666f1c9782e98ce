package dev.shardkv.core.testing;

import dev.shardkv.core.store.ControlStore;
import dev.shardkv.core.topology.ShardMap;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** The control table in memory: a test stores a newer map in it to play a reshard. Counts reads. */
public final class FakeControl implements ControlStore {
    private volatile ShardMap stored;
    private final AtomicInteger loads = new AtomicInteger();

    /** @param stored the map in the table; null: nothing stored yet */
    public FakeControl(ShardMap stored) {
        this.stored = stored;
    }

    public void store(ShardMap map) {
        stored = map;
    }

    public int loads() {
        return loads.get();
    }

    @Override
    public Optional<ShardMap> loadShardMap() {
        loads.incrementAndGet();
        return Optional.ofNullable(stored);
    }

    @Override
    public synchronized ShardMap seedShardMap(ShardMap initial) {
        if (stored == null) {
            stored = initial;
        }
        return stored;
    }

    @Override
    public synchronized boolean publish(ShardMap next, long expectedEpoch) {
        if (stored == null || stored.epoch() != expectedEpoch) {
            return false;
        }
        stored = next;
        return true;
    }
}
