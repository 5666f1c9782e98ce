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
    private final ScatterGather scatterGather;
    private final WriteThrottle throttle;
    private final java.util.concurrent.ExecutorService fanOut = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    public static final int MAX_BATCH_KEYS = 100;
    /**
     * Scatter-gather queries one gateway runs at once (more wait briefly, then get 429). Two keep the
     * scan lane busy; measured with ./shardkv bench storm, four let each other miss their deadlines.
     */
    public static final int DEFAULT_MAX_QUERIES = 2;
    /** DynamoDB's limit on the items of one transaction. */
    public static final int MAX_TX_OPERATIONS = 100;
    /** DynamoDB's limit on the size of one transaction. */
    public static final int MAX_TX_BYTES = 4 * 1024 * 1024;

    /**
     * @param watermarkRefresh how often to ask a shard's reader for its replicas' watermarks when the
     *                         tracker is not fed by the replicator directly (AWS); null when it is
     */
    public Gateway(ShardMapSource maps, ShardClient shards, ReplicationTracker lag, Clock clock,
            Duration watermarkRefresh) {
        this(maps, shards, lag, clock, watermarkRefresh, Duration.ZERO);
    }

    /** @param writeThrottleLag refuse writes to a shard while a replica is further behind than this (zero: never) */
    public Gateway(ShardMapSource maps, ShardClient shards, ReplicationTracker lag, Clock clock,
            Duration watermarkRefresh, Duration writeThrottleLag) {
        this.throttle = new WriteThrottle(lag, writeThrottleLag);
        this.maps = maps;
        this.shards = shards;
        this.lag = lag;
        this.planner = new ReadPlanner(lag);
        this.clock = clock;
        this.watermarkRefresh = watermarkRefresh;
        this.scatterGather = new ScatterGather(shards, planner, clock, DEFAULT_MAX_QUERIES);
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

    public WriteThrottle throttle() {
        return throttle;
    }

    public WriteResult put(String key, String valueJson, Precondition precondition, ConsistencyToken token) {
        Keys.requireClientKey(key);
        requireKnownShards(token);
        ValueCodec.requireWithinLimit(valueJson);
        ShardEntry shard = maps.current().route(key);
        load.write(shard.id());
        throttle.admit(shard);
        ShardResponse response = toWriter(key, epoch -> ShardRequest.put(key, valueJson, precondition, epoch));
        return written(key, response, token);
    }

    public WriteResult delete(String key, Precondition precondition, ConsistencyToken token) {
        Keys.requireClientKey(key);
        requireKnownShards(token);
        ShardEntry shard = maps.current().route(key);
        load.write(shard.id());
        throttle.admit(shard);
        ShardResponse response = toWriter(key, epoch -> ShardRequest.delete(key, precondition, epoch));
        return written(key, response, token);
    }

    public ReadResult get(String key, ReadOptions options) {
        Keys.requireClientKey(key);
        requireKnownShards(options.token());
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
                StoredItem item = response.status() == ShardStatus.OK ? response.item() : null;
                if (response.status() != ShardStatus.OK && response.status() != ShardStatus.NOT_FOUND) {
                    LOG.warn("reader of shard {} answered {}: {}; reading the leader", shard.id(), response.status(),
                            response.detail());
                } else if (item != null && !ValueCodec.decodable(item.value())) {
                    LOG.warn("{} holds a value that is not valid JSON text for a key of version {}; reading the leader",
                            response.servedBy(), item.version());
                } else {
                    return new ReadResult(key, shard.id(), item, response.servedBy(), target.stalenessMs());
                }
            } catch (RuntimeException e) {
                // Basically available: a replica that fails to answer does not fail the read.
                LOG.warn("reader of shard {} failed; reading the leader", shard.id(), e);
            }
        }
        ShardResponse response = toWriter(key, epoch -> ShardRequest.strongGet(key, epoch));
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

    /**
     * A consistency token may name only shards of the map: a made-up shard would be echoed back in
     * every later token and make session reads compare against nothing.
     */
    private void requireKnownShards(ConsistencyToken token) {
        ShardMap map = maps.current();
        for (String shard : token.commits().keySet()) {
            if (map.shard(shard).isEmpty()) {
                throw new ShardKvException(ProblemType.INVALID_CONSISTENCY,
                        "The consistency token names shard \"" + shard + "\", which this shard map never had; "
                                + "send back the X-Consistency-Token of a write.",
                        Map.of("shard", shard, "epoch", map.epoch()));
            }
        }
    }

    /** A scatter-gather query over every shard (see {@link ScatterGather}). */
    public QueryAnswer query(QueryRequest request) {
        maps.current().shards().forEach(s -> refreshWatermarksIfDue(s));
        return scatterGather.run(request, maps.current());
    }

    /** Up to 100 keys, grouped by shard and read in parallel with the consistency of a single get. */
    public BatchGetResult batchGet(List<String> requested, ReadOptions options) {
        if (requested == null || requested.isEmpty() || requested.size() > MAX_BATCH_KEYS) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST,
                    "keys must list 1 to " + MAX_BATCH_KEYS + " keys; got " + (requested == null ? 0 : requested.size()) + ".",
                    Map.of("limit", MAX_BATCH_KEYS));
        }
        List<String> keys = requested.stream().distinct().toList();
        keys.forEach(Keys::requireClientKey);
        requireKnownShards(options.token());
        ShardMap map = maps.current();
        Map<String, List<String>> byShard = new java.util.LinkedHashMap<>();
        for (String key : keys) {
            byShard.computeIfAbsent(map.route(key).id(), s -> new java.util.ArrayList<>()).add(key);
        }
        Map<String, BatchGetResult.Entry> found = new ConcurrentHashMap<>();
        if (options.consistency() == dev.shardkv.core.consistency.Consistency.STRONG) {
            // One consistent snapshot: the shard's writer, or the coordinator when keys span shards.
            ShardRequest request = ShardRequest.batchGet(keys, null, map.epoch());
            ShardResponse response = byShard.size() == 1 ? shards.writer(byShard.keySet().iterator().next(), request)
                    : shards.coordinator(request);
            requireOk(response);
            for (StoredItem item : response.items()) {
                String shard = map.route(item.key()).id();
                found.put(item.key(), new BatchGetResult.Entry(item.key(), item.isLive() ? item : null, shard,
                        shard + "/leader", 0L));
            }
            byShard.keySet().forEach(load::read);
        } else {
            List<java.util.concurrent.Future<?>> parts = new java.util.ArrayList<>();
            for (Map.Entry<String, List<String>> part : byShard.entrySet()) {
                ShardEntry shard = map.shard(part.getKey()).orElseThrow();
                parts.add(fanOut.submit(() -> {
                    load.read(shard.id());
                    refreshWatermarksIfDue(shard);
                    ReadTarget target = planner.choose(shard.id(), shard.replicaCount(), options.consistency(),
                            options.maxStalenessMs(), options.token());
                    ShardResponse response = target.isLeader()
                            ? shards.writer(shard.id(), ShardRequest.batchGet(part.getValue(), null, map.epoch()))
                            : shards.reader(shard.id(), ShardRequest.batchGet(part.getValue(), target.replica(), map.epoch()));
                    requireOk(response);
                    Long staleness = target.isLeader() ? Long.valueOf(0L)
                            : target.stalenessMs().isPresent() ? Long.valueOf(target.stalenessMs().getAsLong()) : null;
                    for (StoredItem item : response.items()) {
                        found.put(item.key(), new BatchGetResult.Entry(item.key(), item.isLive() ? item : null,
                                shard.id(), response.servedBy(), staleness));
                    }
                    for (String key : part.getValue()) {
                        found.putIfAbsent(key, new BatchGetResult.Entry(key, null, shard.id(), response.servedBy(), staleness));
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> part : parts) {
                try {
                    part.get(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof ShardKvException refusal) {
                        throw refusal;
                    }
                    throw new ShardKvException(ProblemType.SHARD_UNAVAILABLE, "A shard failed to answer the batch read.");
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new ShardKvException(ProblemType.SHARD_UNAVAILABLE, "A shard did not answer the batch read in time.");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ShardKvException(ProblemType.SHARD_UNAVAILABLE, "Interrupted.");
                }
            }
        }
        List<BatchGetResult.Entry> results = new java.util.ArrayList<>();
        for (String key : keys) {
            String shard = map.route(key).id();
            results.add(found.getOrDefault(key, new BatchGetResult.Entry(key, null, shard, shard + "/leader", 0L)));
        }
        return new BatchGetResult(results);
    }

    /**
     * An atomic transaction: one shard's writer commits it, or the coordinator when it spans shards.
     * Answers the outcome; a failed condition is an outcome, not an exception.
     */
    public TxAnswer transact(List<dev.shardkv.core.tx.TxOp> operations, ConsistencyToken token) {
        validate(operations);
        requireKnownShards(token);
        for (int attempt = 0; ; attempt++) {
            ShardMap map = maps.current();
            java.util.Set<String> involved = new java.util.LinkedHashSet<>();
            operations.forEach(op -> involved.add(map.route(op.key()).id()));
            involved.forEach(load::write);
            involved.forEach(id -> throttle.admit(map.shard(id).orElseThrow()));
            ShardRequest request = ShardRequest.tx(new dev.shardkv.core.tx.TxRequest(operations, map.epoch()));
            ShardResponse response = involved.size() == 1 ? shards.writer(involved.iterator().next(), request)
                    : shards.coordinator(request);
            if (response.status() == ShardStatus.WRONG_SHARD && attempt < WRONG_SHARD_RETRIES) {
                maps.atLeast(Math.max(response.epoch(), map.epoch() + 1));
                continue;
            }
            requireOk(response);
            dev.shardkv.core.tx.TxOutcome outcome = response.tx();
            ConsistencyToken merged = token;
            if (outcome.committed()) {
                for (String shard : involved) {
                    merged = merged.merge(ConsistencyToken.of(shard, outcome.commitTs()));
                }
            }
            return new TxAnswer(outcome, new java.util.ArrayList<>(involved), merged);
        }
    }

    /** A transaction's outcome, the shards it touched, and the client's token including it. */
    public record TxAnswer(dev.shardkv.core.tx.TxOutcome outcome, List<String> shards, ConsistencyToken token) {
    }

    private static void validate(List<dev.shardkv.core.tx.TxOp> operations) {
        if (operations == null || operations.isEmpty() || operations.size() > MAX_TX_OPERATIONS) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST,
                    "operations must list 1 to " + MAX_TX_OPERATIONS + " operations; got "
                            + (operations == null ? 0 : operations.size()) + ".", Map.of("limit", MAX_TX_OPERATIONS));
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        long bytes = 0;
        for (int i = 0; i < operations.size(); i++) {
            dev.shardkv.core.tx.TxOp op = operations.get(i);
            String where = "operations[" + i + "]";
            if (op == null || op.op() == null) {
                throw new ShardKvException(ProblemType.INVALID_REQUEST, where + " needs an op: put, delete or check.");
            }
            try {
                Keys.requireClientKey(op.key());
            } catch (ShardKvException e) {
                throw new ShardKvException(e.type(), where + ": " + e.detail(), Map.of("index", i));
            }
            if (!seen.add(op.key())) {
                throw new ShardKvException(ProblemType.INVALID_REQUEST,
                        where + " names the key \"" + op.key() + "\" again; a transaction touches each key once.",
                        Map.of("index", i, "key", op.key()));
            }
            if (op.version() != null && op.version() < 0) {
                throw new ShardKvException(ProblemType.INVALID_REQUEST, where + ": version must be 0 or more.");
            }
            switch (op.op()) {
                case PUT -> {
                    if (op.value() == null) {
                        throw new ShardKvException(ProblemType.INVALID_REQUEST, where + ": a put needs a value.");
                    }
                    ValueCodec.requireWithinLimit(op.value());
                    bytes += op.value().length() + op.key().length();
                }
                case DELETE -> {
                    if (op.value() != null) {
                        throw new ShardKvException(ProblemType.INVALID_REQUEST, where + ": a delete takes no value.");
                    }
                }
                case CHECK -> {
                    if (op.version() == null) {
                        throw new ShardKvException(ProblemType.INVALID_REQUEST,
                                where + ": a check needs the version to check (0: the key must not exist).");
                    }
                    if (op.value() != null) {
                        throw new ShardKvException(ProblemType.INVALID_REQUEST, where + ": a check takes no value.");
                    }
                }
            }
        }
        if (bytes > MAX_TX_BYTES) {
            throw new ShardKvException(ProblemType.VALUE_TOO_LARGE,
                    "The transaction writes %d bytes; DynamoDB takes at most %d in one transaction.".formatted(bytes, MAX_TX_BYTES),
                    Map.of("bytes", bytes, "limit", MAX_TX_BYTES));
        }
    }

    private static void requireOk(ShardResponse response) {
        if (response.status() == ShardStatus.INVALID) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST, response.detail());
        }
        if (response.status() != ShardStatus.OK) {
            throw new ShardKvException(ProblemType.SHARD_UNAVAILABLE,
                    "Shard " + response.shard() + " answered " + response.status() + ": " + response.detail());
        }
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
                            "Shard " + shard.id() + " is throttled; retry with backoff.",
                            Map.of("shard", shard.id(), "retryAfter", 1));
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
