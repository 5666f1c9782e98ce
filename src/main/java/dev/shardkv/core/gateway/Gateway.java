package dev.shardkv.core.gateway;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.consistency.ReadPlanner;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.protocol.ShardClient;
import dev.shardkv.core.replication.ReplicationTracker;
import dev.shardkv.core.store.VerificationStore;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.ShardMapSource;
import dev.shardkv.core.tx.TxOp;
import dev.shardkv.core.tx.TxOutcome;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The routing layer, with no HTTP in it: validates at the edge, routes every key by the shard map,
 * sends writes to the shard's writer and reads to a replica or the leader as the consistency choice
 * allows. A facade over one class per job: {@link Router} (keys to shards, the wrong-shard retry),
 * {@link Reads}, {@link Writes}, {@link BatchReads}, {@link Transactions}, {@link ScatterGather}.
 * Close it to stop its fan-out threads.
 */
public final class Gateway implements AutoCloseable {
    public static final int MAX_BATCH_KEYS = BatchReads.MAX_KEYS;
    /**
     * Scatter-gather queries one gateway runs at once (more wait briefly, then get 429). Two keep the
     * scan lane busy; measured with ./shardkv bench storm, four let each other miss their deadlines.
     */
    public static final int DEFAULT_MAX_QUERIES = 2;
    /** DynamoDB's limit on the items of one transaction. */
    public static final int MAX_TX_OPERATIONS = TxValidation.MAX_OPERATIONS;
    /** DynamoDB's limit on the size of one transaction. */
    public static final int MAX_TX_BYTES = TxValidation.MAX_BYTES;

    private final Router router;
    private final ReplicationTracker tracker;
    private final ShardLoad load;
    private final WriteThrottle throttle;
    private final WatermarkRefresher watermarks;
    private final LastVerifications verifications;
    private final Reads reads;
    private final Writes writes;
    private final BatchReads batchReads;
    private final Transactions transactions;
    private final ScatterGather scatterGather;

    /**
     * @param watermarkRefresh how often to ask a shard's reader for its replicas' watermarks when the
     *                         tracker is not fed by the replicator directly (AWS); null when it is
     */
    public Gateway(ShardMapSource maps, ShardClient shards, ReplicationTracker tracker, Clock clock,
            Duration watermarkRefresh) {
        this(maps, shards, tracker, clock, watermarkRefresh, Duration.ZERO);
    }

    /** @param writeThrottleLag refuse writes to a shard while a replica is further behind than this (zero: never) */
    public Gateway(ShardMapSource maps, ShardClient shards, ReplicationTracker tracker, Clock clock,
            Duration watermarkRefresh, Duration writeThrottleLag) {
        this(maps, shards, tracker, clock, watermarkRefresh, writeThrottleLag, VerificationStore.NONE);
    }

    /** @param verifications the replicas' last verifications: a divergent replica serves no reads */
    public Gateway(ShardMapSource maps, ShardClient shards, ReplicationTracker tracker, Clock clock,
            Duration watermarkRefresh, Duration writeThrottleLag, VerificationStore verifications) {
        this.router = new Router(maps);
        this.tracker = tracker;
        this.load = new ShardLoad(clock::millis, new SplittableRandom());
        this.throttle = new WriteThrottle(tracker, writeThrottleLag);
        this.watermarks = new WatermarkRefresher(shards, tracker, clock, watermarkRefresh);
        this.verifications = new LastVerifications(verifications, router::map, clock);
        ReadPlanner planner = new ReadPlanner(tracker, this.verifications::divergent);
        Leaders leaders = new Leaders(router, shards, load);
        this.reads = new Reads(router, leaders, shards, tracker, planner, load, watermarks);
        this.writes = new Writes(router, leaders, throttle, load);
        this.batchReads = new BatchReads(router, leaders, shards, planner, load, watermarks);
        this.transactions = new Transactions(router, leaders, throttle, load);
        this.scatterGather = new ScatterGather(shards, planner, clock, DEFAULT_MAX_QUERIES);
    }

    public ShardMap shardMap() {
        return router.map();
    }

    /**
     * The map as stored now, read again rather than from the cache routing uses (at most a second old): what
     * {@code GET /v1/shards} shows, so that right after a split or merge is done it shows the new map.
     */
    public ShardMap storedShardMap() {
        return router.refreshedMap();
    }

    public ReplicationTracker replication() {
        return tracker;
    }

    /** Each replica's last verification, as this gateway last read it (at most about a second ago). */
    public LastVerifications verifications() {
        return verifications;
    }

    public ShardLoad load() {
        return load;
    }

    public WriteThrottle throttle() {
        return throttle;
    }

    public WriteResult put(String key, String valueJson, Precondition precondition, ConsistencyToken token) {
        return writes.put(key, valueJson, precondition, token);
    }

    public WriteResult delete(String key, Precondition precondition, ConsistencyToken token) {
        return writes.delete(key, precondition, token);
    }

    public ReadResult get(String key, ReadOptions options) {
        return reads.get(key, options);
    }

    /** A scatter-gather query over every shard (see {@link ScatterGather}). */
    public QueryAnswer query(QueryRequest request) {
        router.map().shards().forEach(watermarks::refreshIfDue);
        return scatterGather.run(request, router.map());
    }

    /** Up to 100 keys, grouped by shard and read in parallel with the consistency of a single get. */
    public BatchGetResult batchGet(List<String> requested, ReadOptions options) {
        return batchReads.batchGet(requested, options);
    }

    /**
     * An atomic transaction: one shard's writer commits it, or the coordinator when it spans shards.
     * Answers the outcome; a failed condition is an outcome, not an exception.
     */
    public TxAnswer transact(List<TxOp> operations, ConsistencyToken token) {
        return transactions.transact(operations, token);
    }

    /** A transaction's outcome, the shards it touched, and the client's token including it. */
    public record TxAnswer(TxOutcome outcome, List<String> shards, ConsistencyToken token) {
    }

    /** Stops the threads that fan batch reads and queries out to the shards. */
    @Override
    public void close() {
        batchReads.close();
        scatterGather.close();
    }
}
