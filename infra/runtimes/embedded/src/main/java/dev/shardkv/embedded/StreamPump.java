package dev.shardkv.embedded;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
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
 * records are never applied concurrently or out of order. With a checkpoint store it resumes after a
 * restart where it left off ({@link StreamPosition}), as the mapping does, instead of from the oldest record.
 */
public final class StreamPump implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamPump.class);

    /**
     * @param pollInterval how often the pump polls while records flow
     * @param idleInterval how often it polls once a poll found nothing, unless a write on the leader nudges it
     *                     sooner: the event source mapping's base rate on AWS is four polls a second per shard
     */
    public record Settings(int batchSize, Duration pollInterval, int maxRetries, Duration retryBackoff,
            Duration idleInterval) {
        public static final Duration DEFAULT_IDLE_INTERVAL = Duration.ofMillis(250);
        public static final Settings DEFAULT = new Settings(100, Duration.ofMillis(50), 3, Duration.ofMillis(50));

        public Settings(int batchSize, Duration pollInterval, int maxRetries, Duration retryBackoff) {
            this(batchSize, pollInterval, maxRetries, retryBackoff, DEFAULT_IDLE_INTERVAL);
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
    private final StreamPosition position;
    private final Semaphore nudges = new Semaphore(0);
    private volatile boolean running = true;
    private volatile boolean paused;
    private long lastDiscovery;

    private static final class Cursor {
        String iterator;
        String lastSequenceNumber;
    }

    /** @param checkpoints where the position is kept across restarts; null: in memory, from the oldest record */
    public StreamPump(String shard, String functionName, String streamArn, DynamoDbStreamsClient streams,
            ReplicatorFunction replicator, Settings settings, ParkedRecords parked, StreamCheckpoints checkpoints) {
        this.shard = shard;
        this.functionName = functionName;
        this.streamArn = streamArn;
        this.streams = streams;
        this.replicator = replicator;
        this.settings = settings;
        this.parked = parked;
        this.position = new StreamPosition(checkpoints, shard, streamArn);
        this.delivery = new BatchDelivery(shard, functionName, streamArn, replicator, settings, parked, () -> running);
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

    public long batchesDelivered() {
        return delivery.batches();
    }

    public long retries() {
        return delivery.retries();
    }

    private void run() {
        while (running) {
            try {
                if (paused) {
                    sleep(settings.pollInterval());
                    continue;
                }
                if (System.currentTimeMillis() - lastDiscovery > 5_000 || cursors.isEmpty()) {
                    discoverShards();
                }
                // Poll at most once per interval, busy or not: under load the records of an interval
                // arrive as one batch (as with the mapping's batching window), instead of many tiny
                // batches that each cost a GetRecords and a watermark save.
                long started = System.nanoTime();
                nudges.drainPermits(); // this poll sees what was written before it
                boolean found = false;
                for (Map.Entry<String, Cursor> entry : new ArrayList<>(cursors.entrySet())) {
                    found |= pollOnce(entry.getKey(), entry.getValue());
                    if (!running || paused) {
                        break;
                    }
                }
                if (!found) {
                    // Idle: wait for a nudge, or the idle interval (polls cost the emulator's one queue thread).
                    long idle = settings.idleInterval().toNanos() - (System.nanoTime() - started);
                    if (idle > 0) {
                        nudges.tryAcquire(idle, TimeUnit.NANOSECONDS);
                    }
                }
                long left = settings.pollInterval().toNanos() - (System.nanoTime() - started);
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

    private boolean pollOnce(String shardId, Cursor cursor) throws InterruptedException {
        GetRecordsResponse response;
        try {
            response = streams.getRecords(b -> b.shardIterator(cursor.iterator).limit(settings.batchSize()));
        } catch (ExpiredIteratorException e) {
            cursor.iterator = iterator(shardId, cursor.lastSequenceNumber);
            return false;
        } catch (TrimmedDataAccessException e) {
            if (cursor.lastSequenceNumber == null) {
                // DynamoDB Local answers a TRIM_HORIZON read of a stream shard that has no record yet this way.
                cursor.iterator = iterator(shardId, null);
                return false;
            }
            LOG.error("stream of shard {} was trimmed past record {}: replicas may have missed changes; "
                    + "run a consistency check", shard, cursor.lastSequenceNumber);
            cursor.lastSequenceNumber = null;
            position.forget(shardId);
            cursor.iterator = iterator(shardId, null);
            return false;
        }
        List<Record> records = response.records();
        if (!records.isEmpty()) {
            if (!delivery.deliver(records)) {
                return false; // stopping mid-batch: the position stays before it, so the batch comes again
            }
            cursor.lastSequenceNumber = records.get(records.size() - 1).dynamodb().sequenceNumber();
            position.advance(shardId, cursor.lastSequenceNumber);
        }
        cursor.iterator = response.nextShardIterator();
        if (cursor.iterator == null) {
            cursors.remove(shardId);
            finished.add(shardId);
            discoverShards(); // its children may start now
        }
        return !records.isEmpty();
    }

    private void sleep(Duration d) throws InterruptedException {
        Thread.sleep(Math.max(1, d.toMillis()));
    }

    /** Stops the pump, then saves its position (only once its thread is gone: the position is that thread's). */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            position.save();
        }
    }
}
