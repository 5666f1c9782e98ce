package dev.shardkv.core.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Reads, writes and throttles per shard, as the gateway routes them: the hot-shard signal. */
public final class ShardLoad {
    private final Map<String, Counters> shards = new ConcurrentHashMap<>();

    public record Snapshot(long reads, long writes, long throttles) {
    }

    private static final class Counters {
        final LongAdder reads = new LongAdder();
        final LongAdder writes = new LongAdder();
        final LongAdder throttles = new LongAdder();
    }

    public void read(String shard) {
        counters(shard).reads.increment();
    }

    public void write(String shard) {
        counters(shard).writes.increment();
    }

    public void throttle(String shard) {
        counters(shard).throttles.increment();
    }

    public Snapshot of(String shard) {
        Counters c = counters(shard);
        return new Snapshot(c.reads.sum(), c.writes.sum(), c.throttles.sum());
    }

    private Counters counters(String shard) {
        return shards.computeIfAbsent(shard, s -> new Counters());
    }
}
