package dev.shardkv.core.gateway;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.consistency.ReadPlanner;
import dev.shardkv.core.consistency.ReadTarget;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.kv.ValueCodec;
import dev.shardkv.core.protocol.ShardClient;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.protocol.ShardStatus;
import dev.shardkv.core.replication.ReplicationTracker;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.ShardMapSource;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing layer, with no HTTP in it: validates at the edge, routes every key by the shard map,
 * sends writes to the shard's writer and reads to a replica or the leader as the consistency choice
 * allows. A writer that answers "wrong shard" makes it re-read the map and retry.
 */
public final class Gateway {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final int WRONG_SHARD_RETRIES = 3;

    private final ShardMapSource maps;
    private final ShardClient shards;
    private final ReplicationTracker lag;
    private final ReadPlanner planner;
    private final Clock clock;
    private final Duration watermarkRefresh;
    private final Map<String, AtomicLong> lastRefresh = new ConcurrentHashMap<>();
    private final ShardLoad load = new ShardLoad();

    /**
     * @param watermarkRefresh how often to ask a shard's reader for its replicas' watermarks when the
     *                         tracker is not fed by the replicator directly (AWS); null when it is
     */
    public Gateway(ShardMapSource maps, ShardClient shards, ReplicationTracker lag, Clock clock,
            Duration watermarkRefresh) {
        this.maps = maps;
        this.shards = shards;
        this.lag = lag;
        this.planner = new ReadPlanner(lag);
        this.clock = clock;
        this.watermarkRefresh = watermarkRefresh;
    }

    public ShardMap shardMap() {
        return maps.current();
    }

    public ReplicationTracker replication() {
        return lag;
    }

    public ShardLoad load() {
        return load;
    }

    public WriteResult put(String key, String valueJson, Precondition precondition, ConsistencyToken token) {
        Keys.requireClientKey(key);
        ValueCodec.requireWithinLimit(valueJson);
        load.write(maps.current().route(key).id());
        ShardResponse response = toWriter(key, epoch -> ShardRequest.put(key, valueJson, precondition, epoch));
        return written(key, response, token);
    }

    public WriteResult delete(String key, Precondition precondition, ConsistencyToken token) {
        Keys.requireClientKey(key);
        load.write(maps.current().route(key).id());
        ShardResponse response = toWriter(key, epoch -> ShardRequest.delete(key, precondition, epoch));
        return written(key, response, token);
    }

    public ReadResult get(String key, ReadOptions options) {
        Keys.requireClientKey(key);
        ShardEntry shard = maps.current().route(key);
        load.read(shard.id());
        refreshWatermarksIfDue(shard);
        ReadTarget target = planner.choose(shard.id(), shard.replicaCount(), options.consistency(),
                options.maxStalenessMs(), options.token());
        if (!target.isLeader()) {
            try {
                ShardResponse response = shards.reader(shard.id(),
                        ShardRequest.replicaGet(key, target.replica(), maps.current().epoch()));
                if (response.watermark() != null) {
                    lag.observe(shard.id(), target.replica(), response.watermark());
                }
                if (response.status() == ShardStatus.OK || response.status() == ShardStatus.NOT_FOUND) {
                    return new ReadResult(key, shard.id(), response.status() == ShardStatus.OK ? response.item() : null,
                            response.servedBy(), target.stalenessMs());
                }
                LOG.warn("reader of shard {} answered {}: {}; reading the leader", shard.id(), response.status(),
                        response.detail());
            } catch (RuntimeException e) {
                // Basically available: a replica that fails to answer does not fail the read.
                LOG.warn("reader of shard {} failed; reading the leader", shard.id(), e);
            }
        }
        ShardResponse response = toWriter(key, epoch -> ShardRequest.strongGet(key, epoch));
        return new ReadResult(key, response.shard(), response.status() == ShardStatus.OK ? response.item() : null,
                response.servedBy(), OptionalLong.of(0));
    }

    private ShardResponse toWriter(String key, Function<Long, ShardRequest> request) {
        ShardMap map = maps.current();
        for (int attempt = 0; ; attempt++) {
            ShardEntry shard = map.route(key);
            ShardResponse response;
            try {
                response = shards.writer(shard.id(), request.apply(map.epoch()));
            } catch (RuntimeException e) {
                if (isThrottle(e)) {
                    load.throttle(shard.id());
                    throw new ShardKvException(ProblemType.SHARD_UNAVAILABLE,
                            "Shard " + shard.id() + " is throttled; retry with backoff.", Map.of("shard", shard.id()));
                }
                throw e;
            }
            if (response.status() != ShardStatus.WRONG_SHARD) {
                return response;
            }
            if (attempt == WRONG_SHARD_RETRIES) {
                throw new ShardKvException(ProblemType.WRONG_SHARD,
                        "The shard map kept changing while routing this request; retry it.",
                        Map.of("key", key, "epoch", response.epoch()));
            }
            map = maps.atLeast(Math.max(response.epoch(), map.epoch() + 1));
        }
    }

    private WriteResult written(String key, ShardResponse response, ConsistencyToken token) {
        switch (response.status()) {
            case OK -> {
                StoredItem item = response.item();
                ConsistencyToken merged = token.merge(ConsistencyToken.of(response.shard(), item.ts()));
                return new WriteResult(key, response.shard(), item, response.created(), merged);
            }
            case NOT_FOUND -> throw new ShardKvException(ProblemType.NOT_FOUND, "No item has the key \"" + key + "\".",
                    fields(key, response));
            case PRECONDITION_FAILED -> {
                StoredItem current = response.item();
                String detail = current == null || !current.isLive()
                        ? "The key \"" + key + "\" does not exist, so the precondition does not hold."
                        : "The key \"" + key + "\" is at version " + current.version() + ", so the precondition does not hold.";
                Map<String, Object> fields = fields(key, response);
                if (current != null && current.isLive()) {
                    fields.put("currentVersion", current.version());
                }
                throw new ShardKvException(ProblemType.PRECONDITION_FAILED, detail, fields);
            }
            case INVALID -> throw new ShardKvException(ProblemType.INVALID_REQUEST, response.detail(), fields(key, response));
            default -> throw new ShardKvException(ProblemType.SHARD_UNAVAILABLE,
                    "Shard " + response.shard() + " answered " + response.status() + ".", fields(key, response));
        }
    }

    /** DynamoDB (and Lambda) throttling, recognised by the error code the SDK carries in its message chain. */
    static boolean isThrottle(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = String.valueOf(t.getMessage()) + " " + t.getClass().getSimpleName();
            if (text.contains("ProvisionedThroughputExceeded") || text.contains("ThrottlingException")
                    || text.contains("RequestLimitExceeded") || text.contains("TooManyRequests")) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> fields(String key, ShardResponse response) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("key", key);
        fields.put("shard", response.shard());
        return fields;
    }

    /** On AWS the gateway learns replica watermarks from the readers, at most once per interval per shard. */
    private void refreshWatermarksIfDue(ShardEntry shard) {
        if (watermarkRefresh == null) {
            return;
        }
        AtomicLong last = lastRefresh.computeIfAbsent(shard.id(), id -> new AtomicLong());
        long now = clock.millis();
        long previous = last.get();
        if (now - previous < watermarkRefresh.toMillis() || !last.compareAndSet(previous, now)) {
            return;
        }
        try {
            ShardResponse response = shards.reader(shard.id(), ShardRequest.watermarks());
            List<dev.shardkv.core.replication.Watermark> marks = response.watermarks();
            if (marks != null) {
                for (int i = 0; i < marks.size(); i++) {
                    lag.observe(shard.id(), i + 1, marks.get(i));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("could not refresh replica watermarks of shard {}", shard.id(), e);
        }
    }
}
