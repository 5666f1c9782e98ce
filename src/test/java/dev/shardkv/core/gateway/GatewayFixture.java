package dev.shardkv.core.gateway;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.replication.ReplicationTracker;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.testing.FakeControl;
import dev.shardkv.core.testing.FakeShards;
import dev.shardkv.core.testing.Maps;
import dev.shardkv.core.testing.MutableClock;
import dev.shardkv.core.topology.ShardMapSource;
import dev.shardkv.core.tx.TxOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A gateway over fakes: the shard map of {@link Maps} (epoch 1 cached and stored), a fixed clock, a
 * replication tracker fed by the test, and shards that answer as {@link #standard} unless told otherwise.
 */
final class GatewayFixture {
    static final long NOW = 1_000_000;
    final MutableClock clock = new MutableClock(NOW);
    final FakeControl control = new FakeControl(Maps.epoch1());
    final ShardMapSource maps = new ShardMapSource(control, Maps.epoch1());
    final ReplicationTracker tracker = new ReplicationTracker(clock, Duration.ofSeconds(5), Duration.ofSeconds(60));
    final FakeShards shards = new FakeShards(GatewayFixture::standard);
    final Gateway gateway;

    GatewayFixture() {
        this(null, Duration.ZERO);
    }

    GatewayFixture(Duration watermarkRefresh, Duration writeThrottleLag) {
        this.gateway = new Gateway(maps, shards, tracker, clock, watermarkRefresh, writeThrottleLag);
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
        Integer replica = call.request().replica();
        String servedBy = call.shard() == null ? "coordinator"
                : replica == null ? shard + "/leader" : shard + "/replica-" + replica;
        long epoch = call.request().epoch();
        return switch (call.request().op()) {
            case PUT -> ShardResponse.ok(shard, servedBy, StoredItem.live(call.request().key(), call.request().value(), 1, NOW),
                    true, epoch);
            case DELETE -> ShardResponse.ok(shard, servedBy, StoredItem.tombstone(call.request().key(), 2, NOW, 9), false, epoch);
            case GET -> ShardResponse.ok(shard, servedBy, found(call.request().key(), servedBy), false, epoch);
            case BATCH_GET -> {
                List<StoredItem> items = new ArrayList<>();
                call.request().keys().forEach(key -> items.add(found(key, servedBy)));
                yield ShardResponse.items(shard, servedBy, epoch, items);
            }
            case TX -> ShardResponse.tx(shard, servedBy, epoch, TxOutcome.committed(NOW, List.of(), epoch));
            case WATERMARKS, QUERY -> throw new UnsupportedOperationException(call.request().op().name());
        };
    }

    static StoredItem found(String key, String servedBy) {
        return StoredItem.live(key, "\"" + servedBy + "\"", 1, 1);
    }
}
