package dev.shardkv.core.gateway;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.replication.ReplicationTracker;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.testing.FakeControl;
import dev.shardkv.core.testing.FakeShards;
import dev.shardkv.core.testing.Maps;
import dev.shardkv.core.testing.MemoryVerifications;
import dev.shardkv.core.testing.MutableClock;
import dev.shardkv.core.topology.ShardMapSource;
import dev.shardkv.core.tx.TxOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A gateway over fakes: the shard map of {@link Maps} (epoch 1 cached and stored), a fixed clock, a
 * replication tracker fed by the test, no replica verified yet, and shards that answer as {@link #standard}
 * unless told otherwise.
 */
final class GatewayFixture {
    static final long NOW = 1_000_000;
    final MutableClock clock = new MutableClock(NOW);
    final FakeControl control = new FakeControl(Maps.epoch1());
    final ShardMapSource maps = new ShardMapSource(control, Maps.epoch1());
    final ReplicationTracker tracker = new ReplicationTracker(clock, Duration.ofSeconds(5), Duration.ofSeconds(60));
    final FakeShards shards = new FakeShards(GatewayFixture::standard);
    final MemoryVerifications verifications = new MemoryVerifications();
    final Gateway gateway;

    GatewayFixture() {
        this(null, Duration.ZERO);
    }

    GatewayFixture(Duration watermarkRefresh, Duration writeThrottleLag) {
        this.gateway = new Gateway(maps, shards, tracker, clock, watermarkRefresh, writeThrottleLag, verifications);
    }

    /** The replica applied, just now, everything committed up to {@code lagMs} ago. */
    void replicaAt(String shard, int replica, long lagMs) {
        tracker.observe(shard, replica, new Watermark(clock.millis() - lagMs, "1", clock.millis()));
    }

    /**
     * Well-behaved shards: a write succeeds at version 1 and commit time {@link #NOW}; every read finds
     * the key with its server's name as the value ({@code "a-l/leader"}); transactions commit at NOW.
     */
    static ShardResponse standard(FakeShards.Call call) {
        String shard = call.shard() == null ? "*" : call.shard();
        Integer replica = switch (call.request()) {
            case ShardRequest.Get get -> get.replica();
            case ShardRequest.BatchGet batch -> batch.replica();
            default -> null;
        };
        String servedBy = call.shard() == null ? "coordinator"
                : replica == null ? shard + "/leader" : shard + "/replica-" + replica;
        long epoch = call.request().epoch();
        return switch (call.request()) {
            case ShardRequest.Put put ->
                ShardResponse.ok(shard, servedBy, StoredItem.live(put.key(), put.value(), 1, NOW), true, epoch);
            case ShardRequest.Delete delete ->
                ShardResponse.ok(shard, servedBy, StoredItem.tombstone(delete.key(), 2, NOW, 9), false, epoch);
            case ShardRequest.Get get -> ShardResponse.ok(shard, servedBy, found(get.key(), servedBy), false, epoch);
            case ShardRequest.BatchGet batch -> {
                List<StoredItem> items = new ArrayList<>();
                batch.keys().forEach(key -> items.add(found(key, servedBy)));
                yield ShardResponse.items(shard, servedBy, epoch, items);
            }
            case ShardRequest.Transact tx -> ShardResponse.tx(shard, servedBy, epoch, TxOutcome.committed(NOW, List.of(), epoch));
            case ShardRequest.Watermarks w -> throw new UnsupportedOperationException(w.op());
            case ShardRequest.Query q -> throw new UnsupportedOperationException(q.op());
        };
    }

    static StoredItem found(String key, String servedBy) {
        return StoredItem.live(key, "\"" + servedBy + "\"", 1, 1);
    }
}
