package dev.shardkv.embedded;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.shardkv.core.replication.Replicator;
import dev.shardkv.handlers.ReplicatorFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * What the AWS event source mapping does for one leader table, done in-process: polls the table's
 * real DynamoDB stream, hands the replicator {@link DynamodbEvent} batches (at most {@code batchSize}
 * records of one stream shard, in order, parents before children), and honours its answer the same
 * way: with ReportBatchItemFailures the batch is retried from the first failed record; a function
 * error bisects the batch; after {@code maxRetries} the failing record goes to the on-failure
 * destination ({@link ParkedRecords}) and the stream moves on. One thread per leader, so a shard's
 * records are never applied concurrently or out of order; unless the settings spread them over virtual stream
 * shards ({@link VirtualShards}), as AWS does: then a key's records keep their order, nothing else does. With a
 * checkpoint store it resumes after a restart where it left off ({@link StreamPosition}), as the mapping does,
 * instead of from the oldest record.
 */
public final class StreamPump implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamPump.class);

    /**
     * @param pollInterval how often the pump polls while records flow
     * @param idleInterval how long the pump waits after a poll that found nothing (or a proof without one), unless
     *                     a write on the leader nudges it sooner. An idle replica's lag is at most about this much
     *                     (so it stays well under the write throttle's 1 s, even on a busy machine).
     * @param idleProof    how long a read of the stream to its end still proves the replicas caught up while no
     *                     write nudges the pump, so that idle polls are that much rarer: only when every write to
     *                     the leader nudges it ({@link NudgingStores}: DynamoDB Local in this process, no other
     *                     writer); zero: every proof is a poll
     */
    public record Settings(int batchSize, Duration pollInterval, int maxRetries, Duration retryBackoff,
            Duration idleInterval, Duration idleProof, VirtualShards.Shape shape) {
        public static final Duration DEFAULT_IDLE_INTERVAL = Duration.ofMillis(250);
        public static final Settings DEFAULT = new Settings(100, Duration.ofMillis(50), 3, Duration.ofMillis(50));

        public Settings(int batchSize, Duration pollInterval, int maxRetries, Duration retryBackoff) {
            this(batchSize, pollInterval, maxRetries, retryBackoff, DEFAULT_IDLE_INTERVAL);
        }

        public Settings(int batchSize, Duration pollInterval, int maxRetries, Duration retryBackoff,
                Duration idleInterval) {
            this(batchSize, pollInterval, maxRetries, retryBackoff, idleInterval, Duration.ZERO);
        }

        public Settings(int batchSize, Duration pollInterval, int maxRetries, Duration retryBackoff,
                Duration idleInterval, Duration idleProof) {
            this(batchSize, pollInterval, maxRetries, retryBackoff, idleInterval, idleProof, VirtualShards.Shape.ONE);
        }

        /** The same, with the stream spread over virtual stream shards and lanes ({@link VirtualShards}). */
        public Settings withShape(VirtualShards.Shape next) {
            return new Settings(batchSize, pollInterval, maxRetries, retryBackoff, idleInterval, idleProof, next);
        }
    }

    private final String shard;
    private final String functionName;
    private final String streamArn;
    private final DynamoDbStreamsClient streams;
    private final ReplicatorFunction replicator;
    private final Settings settings;
    private final ParkedRecords parked;
    private final Thread thread;
    private final Map<String, Cursor> cursors = new LinkedHashMap<>();
    private final Set<String> finished = new HashSet<>();
    private final BatchDelivery delivery;
    private final VirtualShards lanes; // null: the pump delivers every batch itself, in order (one lane)
    private final StreamPosition position;
    private final Semaphore nudges = new Semaphore(0);
    private final Replicator caughtUp;
    private volatile boolean running = true;
    private volatile boolean paused;
    private long lastDiscovery;
    private long provenAt = -1; // when the last read to the end began (-1: not since the last write)
    private long second; // the current second (epoch s) and the records delivered in it and in the one before
    private long recordsThisSecond;
    private long recordsLastSecond;

    /**
     * Below this many records a second, each write is polled for on its own (as the mapping does with no batching
     * window); above it, the poll interval gathers records into batches, which is what keeps the emulator's work per
     * write low under load (BENCHMARKS "Load").
     */
    static final int LIGHT_RECORDS_PER_S = 100;
    /** The least time between two polls under light traffic. */
    static final Duration LIGHT_GAP = Duration.ofMillis(5);

    private static final class Cursor {
        String iterator;
        String lastSequenceNumber;
    }

    /**
     * @param checkpoints where the position is kept across restarts; null: in memory, from the oldest record
     * @param caughtUp    told when a poll of every stream shard found nothing after its last batch (null: nobody)
     */
    public StreamPump(String shard, String functionName, String streamArn, DynamoDbStreamsClient streams,
            ReplicatorFunction replicator, Settings settings, ParkedRecords parked, StreamCheckpoints checkpoints,
            Replicator caughtUp) {
        this.caughtUp = caughtUp;
        this.shard = shard;
        this.functionName = functionName;
        this.streamArn = streamArn;
        this.streams = streams;
        this.replicator = replicator;
        this.settings = settings;
        this.parked = parked;
        this.position = new StreamPosition(checkpoints, shard, streamArn);
        this.delivery = new BatchDelivery(shard, functionName, streamArn, replicator, settings, parked, () -> running);
        if (settings.shape().simulated()) {
            VirtualShards.Lineage lineage = caughtUp == null ? VirtualShards.Lineage.NONE : new VirtualShards.Lineage() {
                @Override
                public void opened(Set<String> lanes) {
                    caughtUp.openLanes(lanes);
                }

                @Override
                public void closed(String lane) {
                    caughtUp.closeLane(lane);
                }
            };
            this.lanes = new VirtualShards(settings.shape(), settings.batchSize(),
                    lane -> new BatchDelivery(shard, functionName, streamArn, replicator, settings, parked,
                            () -> running, lane),
                    () -> running && !paused, lineage, "stream-lane-" + shard);
            if (caughtUp != null) {
                caughtUp.expectLanes(settings.shape().lanes());
            }
        } else {
            this.lanes = null;
        }
        this.thread = new Thread(this::run, "stream-pump-" + shard);
        this.thread.setDaemon(true);
    }

    public StreamPump start() {
        position.load();
        thread.start();
        return this;
    }

    /** Stops delivering (the replicator "stops"); records wait in the stream as they would on AWS. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    public boolean paused() {
        return paused;
    }

    /**
     * A write on the leader has committed: an idle pump polls now (no sooner than the poll interval after its last
     * poll), instead of at its idle interval. A hint only: a pump never nudged still polls at its idle interval.
     */
    public void nudge() {
        if (nudges.availablePermits() == 0) {
            nudges.release();
        }
    }

    /**
     * Splits a virtual stream shard, as DynamoDB splits a busy partition: its lanes end once they have delivered what
     * they hold, and two children carry its keys on ({@link VirtualShards}). Only with virtual stream shards.
     */
    public void splitStreamShard(int virtualShard) {
        if (lanes == null) {
            throw new IllegalStateException("shard " + shard + " reads its stream as one lane: no virtual stream shards");
        }
        lanes.requestSplit(virtualShard);
        nudge(); // the split happens between two reads
    }

    /** The lanes that deliver now (empty when the stream is read as one lane). */
    public Set<String> openLanes() {
        return lanes == null ? Set.of() : lanes.open();
    }

    public long batchesDelivered() {
        return delivery.batches() + (lanes == null ? 0 : lanes.batches());
    }

    public long retries() {
        return delivery.retries() + (lanes == null ? 0 : lanes.retries());
    }

    private void run() {
        while (running) {
            try {
                if (paused) {
                    provenAt = -1; // a stopped replicator proves nothing
                    sleep(settings.pollInterval());
                    continue;
                }
                if (stillProven()) {
                    // Nothing was written since the last read to the end: still caught up, without a poll.
                    claim(System.currentTimeMillis());
                    if (nudges.tryAcquire(settings.idleInterval().toNanos(), TimeUnit.NANOSECONDS)) {
                        nudges.release(); // for the poll's drain below
                    }
                    continue;
                }
                // A stream shard that ends starts its children at once (pollOnce); looking again now and then is a
                // safety net only, and every DescribeStream costs the emulator's queue thread.
                if (System.currentTimeMillis() - lastDiscovery > 60_000 || cursors.isEmpty()) {
                    discoverShards();
                }
                // Under load, poll at most once per interval: the records of an interval arrive as one batch
                // (as with the mapping's batching window), instead of many tiny batches that each cost a
                // GetRecords and a watermark save.
                if (lanes != null) {
                    lanes.done().forEach(t -> position.advance(t.streamShard(), t.lastSequenceNumber()));
                    if (lanes.waiting() > MAX_WAITING) {
                        sleep(settings.pollInterval()); // slow lanes: read no further ahead, as the mapping does
                        continue;
                    }
                }
                long started = System.nanoTime();
                long asOf = System.currentTimeMillis();
                nudges.drainPermits(); // this poll sees what was written before it
                boolean found = false;
                boolean empty = !cursors.isEmpty();
                List<String> polled = new ArrayList<>(cursors.keySet());
                for (String shardId : polled) {
                    Poll poll = pollOnce(shardId, cursors.get(shardId));
                    found |= poll == Poll.RECORDS;
                    empty &= poll == Poll.EMPTY;
                    if (!running || paused) {
                        empty = false;
                        break;
                    }
                }
                provenAt = -1;
                if (empty && caughtUp != null && polled.equals(new ArrayList<>(cursors.keySet()))) {
                    // Every stream shard was read to its end after its last batch was applied, with no
                    // heartbeat needed (the event source mapping on AWS cannot say this: it invokes on records only).
                    claim(asOf);
                    provenAt = asOf;
                }
                // Light traffic (a few records a second): a write is polled for as soon as it nudges, so it
                // reaches the replicas in milliseconds instead of waiting out the batching window; that
                // costs a GetRecords per write, which at this rate the emulator has to spare.
                boolean light = recordsPerSecond() < LIGHT_RECORDS_PER_S;
                long floor = light ? LIGHT_GAP.toNanos() : settings.pollInterval().toNanos();
                // Wait for a nudge (a write through ShardKV), or at most the poll interval while records flow and
                // the idle interval once a poll found nothing: every poll of every shard costs the emulator's one
                // queue thread, and at idle the polls were most of the runtime's DynamoDB calls.
                long wait = (found ? settings.pollInterval() : settings.idleInterval()).toNanos()
                        - (System.nanoTime() - started);
                if ((light || !found) && wait > 0 && nudges.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                    provenAt = -1; // a write since this round began: its read to the end proves nothing after it
                }
                long left = floor - (System.nanoTime() - started);
                if (left > 0) {
                    Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("stream pump of shard {} hit an error; polling again", shard, e);
                try {
                    sleep(Duration.ofMillis(500));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Starts reading every shard whose parent is done (or absent): after its checkpoint, else from its oldest record. */
    private void discoverShards() {
        lastDiscovery = System.currentTimeMillis();
        List<Shard> shards = new ArrayList<>();
        String start = null;
        do {
            String from = start;
            var description = streams.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(from))
                    .streamDescription();
            shards.addAll(description.shards());
            start = description.lastEvaluatedShardId();
        } while (start != null);
        Set<String> known = new HashSet<>();
        shards.forEach(s -> known.add(s.shardId()));
        position.retain(known);
        for (Shard s : shards) {
            String id = s.shardId();
            boolean parentDone = s.parentShardId() == null || !known.contains(s.parentShardId())
                    || finished.contains(s.parentShardId());
            if (!cursors.containsKey(id) && !finished.contains(id) && parentDone) {
                cursors.put(id, resume(id));
            }
        }
    }

    private Cursor resume(String shardId) {
        Cursor cursor = new Cursor();
        String saved = position.of(shardId);
        if (saved != null) {
            try {
                cursor.iterator = iterator(shardId, saved);
                cursor.lastSequenceNumber = saved;
                return cursor;
            } catch (RuntimeException e) {
                // Malformed, unknown or trimmed (the emulator throws several kinds): replaying is safe,
                // the apply rule is idempotent.
                LOG.warn("stream of shard {}: cannot resume stream shard {} after record {} ({}); reading it from its "
                        + "oldest record", shard, shardId, saved, e.toString());
                position.forget(shardId);
            }
        }
        cursor.iterator = iterator(shardId, null);
        return cursor;
    }

    private String iterator(String shardId, String afterSequenceNumber) {
        return streams.getShardIterator(b -> {
            b.streamArn(streamArn).shardId(shardId);
            if (afterSequenceNumber == null) {
                b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
            } else {
                b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(afterSequenceNumber);
            }
        }).shardIterator();
    }

    /** What one GetRecords did: delivered records, read to the end and found none, or neither (retry, stop). */
    private enum Poll { RECORDS, EMPTY, UNSURE }

    private Poll pollOnce(String shardId, Cursor cursor) throws InterruptedException {
        GetRecordsResponse response;
        try {
            response = streams.getRecords(b -> b.shardIterator(cursor.iterator).limit(settings.batchSize()));
        } catch (ExpiredIteratorException e) {
            cursor.iterator = iterator(shardId, cursor.lastSequenceNumber);
            return Poll.UNSURE;
        } catch (TrimmedDataAccessException e) {
            if (cursor.lastSequenceNumber == null) {
                // DynamoDB Local answers a TRIM_HORIZON read of a stream shard that has no record yet this way.
                cursor.iterator = iterator(shardId, null);
                return Poll.UNSURE;
            }
            LOG.error("stream of shard {} was trimmed past record {}: replicas may have missed changes; "
                    + "run a consistency check", shard, cursor.lastSequenceNumber);
            cursor.lastSequenceNumber = null;
            position.forget(shardId);
            cursor.iterator = iterator(shardId, null);
            return Poll.UNSURE;
        }
        List<Record> records = response.records();
        if (!records.isEmpty()) {
            if (lanes != null) {
                lanes.dispatch(shardId, records); // the position moves once every lane has delivered them
            } else if (!delivery.deliver(records)) {
                return Poll.UNSURE; // stopping mid-batch: the position stays before it, so the batch comes again
            }
            count(records.size());
            cursor.lastSequenceNumber = records.get(records.size() - 1).dynamodb().sequenceNumber();
            if (lanes == null) {
                position.advance(shardId, cursor.lastSequenceNumber);
            }
        }
        cursor.iterator = response.nextShardIterator();
        if (cursor.iterator == null) {
            cursors.remove(shardId);
            finished.add(shardId);
            discoverShards(); // its children may start now
            return records.isEmpty() ? Poll.UNSURE : Poll.RECORDS; // the children are not read yet
        }
        return records.isEmpty() ? Poll.EMPTY : Poll.RECORDS;
    }

    /**
     * Whether the last read to the end still stands: within the idle proof, and no nudge since (a write that
     * committed just before its nudge can be covered for that moment, as a heartbeat can cover a write still in
     * flight; bounded reads allow that much).
     */
    private boolean stillProven() {
        return provenAt >= 0 && caughtUp != null && nudges.availablePermits() == 0
                && System.currentTimeMillis() - provenAt < settings.idleProof().toMillis();
    }

    /**
     * Every record committed before {@code asOf} has been read from the stream: the replicas are caught up as of then,
     * in every lane that has delivered all it was handed. A lane still holding records (a slow or held-back stream
     * shard) is not claimed, so the replicas' frontier stays at its last record.
     */
    private void claim(long asOf) {
        if (lanes == null) {
            caughtUp.caughtUp(asOf);
        } else {
            lanes.idle().forEach(lane -> caughtUp.caughtUp(lane, asOf));
        }
    }

    /** Records handed to lanes and not yet delivered, beyond which the pump stops reading ahead. */
    static final int MAX_WAITING = 10_000;

    private void count(int records) {
        long now = System.currentTimeMillis() / 1000;
        if (now != second) {
            recordsLastSecond = now == second + 1 ? recordsThisSecond : 0;
            recordsThisSecond = 0;
            second = now;
        }
        recordsThisSecond += records;
    }

    private long recordsPerSecond() {
        count(0);
        return Math.max(recordsThisSecond, recordsLastSecond);
    }

    private void sleep(Duration d) throws InterruptedException {
        Thread.sleep(Math.max(1, d.toMillis()));
    }

    /** Stops the pump, then saves its position (only once its thread is gone: the position is that thread's). */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        if (lanes != null) {
            lanes.close();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            if (lanes != null) {
                lanes.done().forEach(t -> position.advance(t.streamShard(), t.lastSequenceNumber()));
            }
            position.save();
        }
    }
}
