package dev.shardkv.bench;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.dynamodb.DynamoReplicaStore;
import dev.shardkv.dynamodb.ItemAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * One leader's replication as DynamoDB sees it, without the pump or the replicator: one thread that reads the
 * leader's stream with GetRecords (100 records, at most once per 50 ms, as the pump's defaults) and hands each
 * batch to every replica store's {@code applyAll} (one conditional PutItem for one key; else BatchGetItem of
 * versions, then BatchWriteItem), the replicas in parallel as the replicator does, and saves each replica's
 * watermark at most every 200 ms. No heartbeats, retries, parking or Lambda-event conversion: those are ours.
 */
final class ReplicationLoop implements AutoCloseable {
    static final int BATCH_SIZE = 100;
    static final long POLL_INTERVAL_MS = 50;
    static final long WATERMARK_INTERVAL_MS = 200;

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final List<DynamoReplicaStore> replicas;
    private final long[] watermarkSavedAt;
    private final ExecutorService passes = Executors.newVirtualThreadPerTaskExecutor();
    private final Thread thread;
    private volatile boolean running = true;
    /** Commit ts to replica write, per replica, and records applied; fresh ones when the measured phase starts. */
    private volatile Stats[] delays;
    private volatile LongAdder applied;
    private String shardId;
    private String iterator;

    ReplicationLoop(String leader, DynamoDbStreamsClient streams, String streamArn, List<DynamoReplicaStore> replicas) {
        this.streams = streams;
        this.streamArn = streamArn;
        this.replicas = List.copyOf(replicas);
        this.watermarkSavedAt = new long[replicas.size()];
        startMeasuring();
        this.thread = new Thread(this::run, "raw-replication-" + leader);
        this.thread.setDaemon(true);
    }

    ReplicationLoop start() {
        open(null);
        thread.start();
        return this;
    }

    void startMeasuring() {
        Stats[] fresh = new Stats[replicas.size()];
        for (int r = 0; r < fresh.length; r++) {
            fresh[r] = new Stats();
        }
        delays = fresh;
        applied = new LongAdder();
    }

    Stats[] delays() {
        return delays;
    }

    /** Records applied to replicas since {@link #startMeasuring}, one per record and replica: shows whether replication kept up. */
    long applied() {
        return applied.sum();
    }

    private void run() {
        while (running) {
            long started = System.currentTimeMillis();
            try {
                Batch batch = poll();
                if (!batch.items().isEmpty()) {
                    apply(batch);
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                System.err.println("raw replication of " + streamArn + ": " + e);
            }
            long left = POLL_INTERVAL_MS - (System.currentTimeMillis() - started);
            if (left > 0) {
                try {
                    Thread.sleep(left);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** A GetRecords' new images (the workload only puts, so there are no removals) and its last sequence number. */
    private record Batch(List<StoredItem> items, String lastSequenceNumber) {
    }

    private Batch poll() {
        List<Record> records;
        try {
            var response = streams.getRecords(b -> b.shardIterator(iterator).limit(BATCH_SIZE));
            records = response.records();
            iterator = response.nextShardIterator();
        } catch (TrimmedDataAccessException e) {
            open(null); // DynamoDB Local's answer to an empty shard read from TRIM_HORIZON
            return new Batch(List.of(), null);
        }
        if (iterator == null) {
            open(shardId); // the shard was closed: read its child
        }
        List<StoredItem> items = new ArrayList<>(records.size());
        for (Record record : records) {
            if (record.dynamodb().hasNewImage()) {
                items.add(ItemAttributes.fromItem(record.dynamodb().newImage()));
            }
        }
        return new Batch(items, records.isEmpty() ? null : records.getLast().dynamodb().sequenceNumber());
    }

    /** Every replica's pass over the batch, in parallel: a batch costs the slowest replica's time. */
    private void apply(Batch batch) {
        List<Future<?>> running = new ArrayList<>();
        for (int r = 0; r < replicas.size(); r++) {
            int replica = r;
            running.add(passes.submit(() -> pass(replica, batch)));
        }
        for (Future<?> pass : running) {
            try {
                pass.get();
            } catch (Exception e) {
                throw new IllegalStateException("replica pass failed", e);
            }
        }
    }

    private void pass(int replica, Batch batch) {
        DynamoReplicaStore store = replicas.get(replica);
        store.applyAll(batch.items());
        long appliedAt = System.currentTimeMillis();
        Stats stats = delays[replica];
        applied.add(batch.items().size());
        long maxTs = 0;
        for (StoredItem item : batch.items()) {
            stats.recordMicros((appliedAt - item.ts()) * 1_000);
            maxTs = Math.max(maxTs, item.ts());
        }
        if (appliedAt - watermarkSavedAt[replica] >= WATERMARK_INTERVAL_MS) {
            watermarkSavedAt[replica] = appliedAt;
            store.saveWatermark(new Watermark(maxTs, batch.lastSequenceNumber(), appliedAt));
        }
    }

    /** Reads the stream's open shard (the child of {@code parent}, or the first one) from its oldest record. */
    private void open(String parent) {
        List<Shard> shards = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards();
        Shard next = shards.stream()
                .filter(s -> parent == null ? s.parentShardId() == null || s.parentShardId().isEmpty()
                        : parent.equals(s.parentShardId()))
                .findFirst().orElse(shards.getLast());
        shardId = next.shardId();
        iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(next.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    }

    @Override
    public void close() {
        running = false; // no interrupt: the thread may be inside the emulator; it stops within a poll
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        passes.shutdownNow();
    }
}
