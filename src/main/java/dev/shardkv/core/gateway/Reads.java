package dev.shardkv.core.gateway;

import dev.shardkv.core.consistency.ReadPlanner;
import dev.shardkv.core.consistency.ReadTarget;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.kv.ValueCodec;
import dev.shardkv.core.protocol.ShardClient;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.protocol.ShardStatus;
import dev.shardkv.core.replication.ReplicationTracker;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single reads: a replica when the read planner finds one that keeps the consistency promise, else
 * the leader; a replica that fails or answers something unusable is passed over for the leader.
 */
final class Reads {
    private static final Logger LOG = LoggerFactory.getLogger(Reads.class);

    private final Router router;
    private final Leaders leaders;
    private final ShardClient shards;
    private final ReplicationTracker tracker;
    private final ReadPlanner planner;
    private final ShardLoad load;
    private final WatermarkRefresher watermarks;

    Reads(Router router, Leaders leaders, ShardClient shards, ReplicationTracker tracker, ReadPlanner planner, ShardLoad load,
            WatermarkRefresher watermarks) {
        this.router = router;
        this.leaders = leaders;
        this.shards = shards;
        this.tracker = tracker;
        this.planner = planner;
        this.load = load;
        this.watermarks = watermarks;
    }

    ReadResult get(String key, ReadOptions options) {
        Keys.requireClientKey(key);
        router.requireKnownShards(options.token());
        ShardMap map = router.map();
        ShardEntry shard = map.route(key);
        load.read(shard.id(), map.routing(), key);
        watermarks.refreshIfDue(shard);
        ReadTarget target = planner.choose(shard, options.consistency(),
                options.maxLagMs(), options.token().resolve(router.map()));
        ReadResult result = null;
        if (!target.isLeader()) {
            result = fromReplica(key, shard, target).orElse(null);
        }
        if (result == null) {
            result = fromLeader(key);
        }
        if (result.found()) {
            load.bytes(result.shard(), ValueCodec.utf8Length(result.item().value()));
        }
        return result;
    }

    /** The replica's answer, or empty when the leader should answer instead (basically available). */
    private Optional<ReadResult> fromReplica(String key, ShardEntry shard, ReadTarget target) {
        try {
            ShardResponse response = shards.reader(shard.id(),
                    ShardRequest.replicaGet(key, target.replica(), router.map().epoch()));
            if (response.watermark() != null) {
                tracker.observe(shard.id(), target.replica(), response.watermark());
            }
            StoredItem item = response.status() == ShardStatus.OK ? response.item() : null;
            if (response.status() != ShardStatus.OK && response.status() != ShardStatus.NOT_FOUND) {
                LOG.warn("reader of shard {} answered {}: {}; reading the leader", shard.id(), response.status(),
                        response.detail());
            } else if (item != null && !ValueCodec.decodable(item.value())) {
                LOG.warn("{} holds a value that is not valid JSON text for a key of version {}; reading the leader",
                        response.servedBy(), item.version());
            } else {
                return Optional.of(new ReadResult(key, shard.id(), item, response.servedBy(), target.lagMs()));
            }
        } catch (RuntimeException e) {
            // Basically available: a replica that fails to answer does not fail the read.
            LOG.warn("reader of shard {} failed; reading the leader", shard.id(), e);
        }
        return Optional.empty();
    }

    private ReadResult fromLeader(String key) {
        ShardResponse response = leaders.toWriter(key, epoch -> ShardRequest.strongGet(key, epoch));
        StoredItem item = response.status() == ShardStatus.OK ? response.item() : null;
        if (item != null && !ValueCodec.decodable(item.value())) {
            throw new ShardKvException(ProblemType.UNDECODABLE_ITEM,
                    "The stored value of \"" + key + "\" is not valid JSON text (it was written around ShardKV), "
                            + "so it cannot be sent; overwrite or delete the key.",
                    Map.of("key", key, "shard", response.shard(), "servedBy", response.servedBy(),
                            "version", item.version()));
        }
        return new ReadResult(key, response.shard(), item, response.servedBy(), OptionalLong.of(0));
    }
}
