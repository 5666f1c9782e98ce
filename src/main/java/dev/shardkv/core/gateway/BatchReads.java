package dev.shardkv.core.gateway;

import dev.shardkv.core.consistency.Consistency;
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
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Batch reads: up to {@link #MAX_KEYS} keys grouped by shard. Strong: one consistent snapshot from
 * the leaders. Otherwise each shard's part is read in parallel with the consistency of a single get.
 * The answer has one entry per distinct key, in request order.
 */
final class BatchReads implements AutoCloseable {
    static final int MAX_KEYS = 100;
    private static final long PART_TIMEOUT_S = 30;

    private final Router router;
    private final Leaders leaders;
    private final ShardClient shards;
    private final ReadPlanner planner;
    private final ShardLoad load;
    private final WatermarkRefresher watermarks;
    private final ExecutorService fanOut = Executors.newVirtualThreadPerTaskExecutor();

    BatchReads(Router router, Leaders leaders, ShardClient shards, ReadPlanner planner, ShardLoad load,
            WatermarkRefresher watermarks) {
        this.router = router;
        this.leaders = leaders;
        this.shards = shards;
        this.planner = planner;
        this.load = load;
        this.watermarks = watermarks;
    }

    BatchGetResult batchGet(List<String> requested, ReadOptions options) {
        List<String> keys = distinctClientKeys(requested);
        router.requireKnownShards(options.token());
        ShardMap map = router.map();
        Map<String, BatchGetResult.Entry> found;
        if (options.consistency() == Consistency.STRONG) {
            // Sent again by the router on a frozen or wrong shard, as a write is: a split moves the keys.
            Router.Routed routed = router.send(m -> leaders.toLeaders(byShard(keys, m).keySet(),
                    ShardRequest.batchGet(keys, null, m.epoch())));
            map = routed.map();
            found = snapshot(routed.response(), byShard(keys, map), map);
        } else {
            found = fromEachShard(byShard(keys, map), map, options);
        }
        List<BatchGetResult.Entry> results = new ArrayList<>();
        for (String key : keys) {
            String shard = map.route(key).id();
            results.add(found.getOrDefault(key, new BatchGetResult.Entry(key, null, shard, shard + "/leader", 0L)));
        }
        return new BatchGetResult(results);
    }

    private static Map<String, List<String>> byShard(List<String> keys, ShardMap map) {
        Map<String, List<String>> byShard = new LinkedHashMap<>();
        for (String key : keys) {
            byShard.computeIfAbsent(map.route(key).id(), s -> new ArrayList<>()).add(key);
        }
        return byShard;
    }

    private static List<String> distinctClientKeys(List<String> requested) {
        if (requested == null || requested.isEmpty() || requested.size() > MAX_KEYS) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST,
                    "keys must list 1 to " + MAX_KEYS + " keys; got " + (requested == null ? 0 : requested.size()) + ".",
                    Map.of("limit", MAX_KEYS));
        }
        List<String> keys = requested.stream().distinct().toList();
        keys.forEach(Keys::requireClientKey);
        return keys;
    }

    /** One consistent snapshot (the shard's writer, or the coordinator when the keys span shards), as answered. */
    private Map<String, BatchGetResult.Entry> snapshot(ShardResponse response, Map<String, List<String>> byShard, ShardMap map) {
        if (response.status() == ShardStatus.WRONG_SHARD) {
            throw new ShardKvException(ProblemType.WRONG_SHARD, "The shard map kept changing while routing this read; retry it.",
                    Map.of("epoch", response.epoch()));
        }
        ShardErrors.requireOk(response);
        Map<String, BatchGetResult.Entry> found = new LinkedHashMap<>();
        for (StoredItem item : response.items()) {
            String shard = map.route(item.key()).id();
            found.put(item.key(), new BatchGetResult.Entry(item.key(), item.isLive() ? item : null, shard,
                    shard + "/leader", 0L));
            if (item.isLive()) {
                load.bytes(shard, ValueCodec.utf8Length(item.value()));
            }
        }
        byShard.forEach((shard, shardKeys) -> counted(shard, shardKeys, map));
        return found;
    }

    /** Each shard's keys from a replica or its leader, as the consistency allows, all shards at once. */
    private Map<String, BatchGetResult.Entry> fromEachShard(Map<String, List<String>> byShard, ShardMap map,
            ReadOptions options) {
        Map<String, BatchGetResult.Entry> found = new ConcurrentHashMap<>();
        List<Future<?>> parts = new ArrayList<>();
        for (Map.Entry<String, List<String>> part : byShard.entrySet()) {
            ShardEntry shard = map.shard(part.getKey()).orElseThrow();
            parts.add(fanOut.submit(() -> readPart(shard, part.getValue(), map.epoch(), options, found)));
        }
        parts.forEach(BatchReads::await);
        return found;
    }

    private void readPart(ShardEntry shard, List<String> keys, long epoch, ReadOptions options,
            Map<String, BatchGetResult.Entry> found) {
        counted(shard.id(), keys, router.map());
        watermarks.refreshIfDue(shard);
        ReadTarget target = planner.choose(shard, options.consistency(),
                options.maxLagMs(), options.token().resolve(router.map()));
        ShardResponse response = target.isLeader()
                ? shards.writer(shard.id(), ShardRequest.batchGet(keys, null, epoch))
                : shards.reader(shard.id(), ShardRequest.batchGet(keys, target.replica(), epoch));
        ShardErrors.requireOk(response);
        Long lag = target.isLeader() ? Long.valueOf(0L)
                : target.lagMs().isPresent() ? Long.valueOf(target.lagMs().getAsLong()) : null;
        for (StoredItem item : response.items()) {
            found.put(item.key(), new BatchGetResult.Entry(item.key(), item.isLive() ? item : null,
                    shard.id(), response.servedBy(), lag));
            if (item.isLive()) {
                load.bytes(shard.id(), ValueCodec.utf8Length(item.value()));
            }
        }
        for (String key : keys) {
            found.putIfAbsent(key, new BatchGetResult.Entry(key, null, shard.id(), response.servedBy(), lag));
        }
    }

    /** One read of the shard, and each of its keys sampled for the shard's split finder. */
    private void counted(String shard, List<String> keys, ShardMap map) {
        load.read(shard);
        keys.forEach(key -> load.key(shard, map.routing(), key));
    }

    private static void await(Future<?> part) {
        try {
            part.get(PART_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ShardKvException refusal) {
                throw refusal;
            }
            throw new ShardKvException(ProblemType.SHARD_UNAVAILABLE, "A shard failed to answer the batch read.");
        } catch (TimeoutException e) {
            throw new ShardKvException(ProblemType.SHARD_UNAVAILABLE, "A shard did not answer the batch read in time.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShardKvException(ProblemType.SHARD_UNAVAILABLE, "Interrupted.");
        }
    }

    @Override
    public void close() {
        fanOut.shutdownNow();
    }
}
