package dev.shardkv.core.replication;

import dev.shardkv.core.store.ReplicaStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Applies a batch of a leader's change records, in order, to every replica of the shard. Each replica
 * takes the batch in its own pass (the passes run in parallel, so a batch costs the slowest replica's
 * time, not the sum). A record that fails on a replica ends that replica's pass (a failed chunk of
 * upserts fails from its first record); the batch reports the earliest failed record, so the caller
 * retries from there: every replica has applied everything before it (no gap), and re-applying what a
 * replica already holds is a no-op by the {@link ApplyRule} (no double effect).
 */
public final class Replicator implements AutoCloseable {
    private final String shard;
    private final List<ReplicaStore> replicas;
    private final Clock clock;
    private final ReplicationListener listener;
    private final ExecutorService passes = Executors.newVirtualThreadPerTaskExecutor();
    private final Duration watermarkSaveInterval;
    private final long[] watermarkSavedAt;
    private final Lanes[] progress; // per replica, its marks per lane (guarded by itself)

    public Replicator(String shard, List<ReplicaStore> replicas, Clock clock, ReplicationListener listener) {
        this(shard, replicas, clock, listener, DEFAULT_WATERMARK_SAVE_INTERVAL);
    }

    /**
     * @param watermarkSaveInterval how often, at most, a replica's watermark is written to its table
     *                              (listeners hear of every move at once); zero saves after every batch
     */
    public Replicator(String shard, List<ReplicaStore> replicas, Clock clock, ReplicationListener listener,
            Duration watermarkSaveInterval) {
        this.shard = shard;
        this.replicas = List.copyOf(replicas);
        this.clock = clock;
        this.listener = Objects.requireNonNull(listener);
        this.watermarkSaveInterval = watermarkSaveInterval;
        this.watermarkSavedAt = new long[this.replicas.size()];
        java.util.Arrays.fill(watermarkSavedAt, Long.MIN_VALUE / 2);
        this.progress = new Lanes[this.replicas.size()];
        for (int r = 0; r < progress.length; r++) {
            progress[r] = new Lanes();
        }
    }

    /** Stored watermarks are read by gateways about once a second; saving more often only costs writes. */
    public static final Duration DEFAULT_WATERMARK_SAVE_INTERVAL = Duration.ofMillis(200);

    public String shard() {
        return shard;
    }

    public int replicaCount() {
        return replicas.size();
    }

    /** The outcome of one batch: how many records every replica completed, and the first that failed, if any. */
    public record BatchResult(int completed, Optional<String> firstFailedSequenceNumber) {
        public boolean succeeded() {
            return firstFailedSequenceNumber.isEmpty();
        }
    }

    /**
     * The lanes that feed this replicator's replicas (stream shards read concurrently, or their parallel batches):
     * each replica's watermark is then the slowest lane's, and there is none until every lane has been heard from.
     * Not told: one lane, read in order.
     */
    public void expectLanes(Set<String> lanes) {
        for (Lanes p : progress) {
            synchronized (p) {
                p.expect(lanes);
            }
        }
    }

    /** Lanes that start now (a stream shard's children): each replica's frontier waits for them too. */
    public void openLanes(Set<String> lanes) {
        for (Lanes p : progress) {
            synchronized (p) {
                p.open(lanes);
            }
        }
    }

    /**
     * A lane that has ended, every record of it applied (a parent stream shard read to its end: its children carry
     * its keys on): it no longer holds any replica's frontier back.
     */
    public void closeLane(String lane) {
        for (int r = 0; r < replicas.size(); r++) {
            Lanes p = progress[r];
            Watermark frontier;
            synchronized (p) {
                p.close(lane);
                frontier = p.frontier();
            }
            listener.laneClosed(shard, r + 1, lane);
            if (frontier != null) {
                listener.watermark(shard, r + 1, frontier);
            }
        }
    }

    public BatchResult apply(List<ChangeRecord> records) {
        return apply(Lanes.SINGLE, records);
    }

    /**
     * Applies a batch of one lane. Batches of different lanes may be applied at once (as the event source mapping
     * invokes one replicator per stream shard, and more with a parallelization factor); those of one lane come in order.
     */
    public BatchResult apply(String lane, List<ChangeRecord> records) {
        int completed = records.size();
        if (!records.isEmpty()) {
            if (replicas.size() == 1) {
                completed = pass(0, lane, records);
            } else {
                List<Future<Integer>> running = new ArrayList<>();
                for (int r = 0; r < replicas.size(); r++) {
                    int replica = r;
                    running.add(passes.submit(() -> pass(replica, lane, records)));
                }
                for (Future<Integer> pass : running) {
                    completed = Math.min(completed, join(pass));
                }
            }
        }
        listener.batchDone(shard);
        return new BatchResult(completed, completed < records.size()
                ? Optional.of(records.get(completed).sequenceNumber()) : Optional.empty());
    }

    /**
     * Applies the records in order to one replica; returns how many it completed before a failure.
     * Runs of upserts go to the replica as one {@link ReplicaStore#applyAll batch} (a few requests
     * instead of one per record: under load the store's capacity is shared with the foreground, and
     * a replica that spends one request per record falls behind without limit). A record that fails
     * ends the pass there (for a chunk, its first record: the whole chunk counts as failed); everything
     * before it is applied.
     */
    private int pass(int index, String lane, List<ChangeRecord> records) {
        int replica = index + 1;
        ReplicaStore store = replicas.get(index);
        Pass pass = new Pass(replica, store);
        for (ChangeRecord record : records) {
            if (record.kind() == ChangeRecord.Kind.UPSERT) {
                pass.pending.add(record);
                if (pass.pending.size() == APPLY_CHUNK) {
                    pass.flush();
                }
            } else {
                pass.flush();
                if (!pass.failed) {
                    pass.one(record);
                }
            }
            if (pass.failed) {
                break;
            }
        }
        pass.flush();
        if (pass.progress != null) {
            saveWatermark(replica, store, lane, pass.progress);
        }
        return pass.done;
    }

    /** Upserts applied to a replica in one go: the store reads 100 versions per request and writes 25 items per request. */
    static final int APPLY_CHUNK = 100;

    /** One replica's pass over a batch: records waiting to be applied together, how far it got. */
    private final class Pass {
        final int replica;
        final ReplicaStore store;
        final List<ChangeRecord> pending = new ArrayList<>();
        Watermark progress;
        int done;
        boolean failed;

        Pass(int replica, ReplicaStore store) {
            this.replica = replica;
            this.store = store;
        }

        void flush() {
            if (pending.isEmpty() || failed) {
                pending.clear();
                return;
            }
            java.util.Map<String, ApplyResult> results;
            try {
                results = store.applyAll(pending.stream().map(ChangeRecord::item).toList());
            } catch (Exception e) {
                listener.failed(shard, replica, pending.get(0), e);
                failed = true;
                pending.clear();
                return;
            }
            long appliedAt = clock.millis();
            for (ChangeRecord record : pending) {
                ApplyResult result = results.getOrDefault(record.key(), ApplyResult.ALREADY_APPLIED);
                listener.applied(shard, replica, record, result, appliedAt);
                progress = advance(progress, record, appliedAt);
                done++;
            }
            pending.clear();
        }

        void one(ChangeRecord record) {
            try {
                ApplyResult result = applyOne(store, record);
                long appliedAt = clock.millis();
                listener.applied(shard, replica, record, result, appliedAt);
                progress = advance(progress, record, appliedAt);
                done++;
            } catch (Exception e) {
                listener.failed(shard, replica, record, e);
                failed = true;
            }
        }
    }

    private static ApplyResult applyOne(ReplicaStore replica, ChangeRecord record) {
        return switch (record.kind()) {
            case UPSERT -> replica.apply(record.item());
            case REMOVE -> replica.remove(record.key(), record.oldVersion());
            case TTL_EXPIRY -> ApplyResult.IGNORED;
        };
    }

    /** Removals carry no commit time, so they move the sequence number but keep the last commit time. */
    private static Watermark advance(Watermark previous, ChangeRecord record, long appliedAt) {
        long ts = record.commitTs() >= 0 ? record.commitTs() : previous == null ? -1 : previous.ts();
        if (ts < 0) {
            return previous;
        }
        return new Watermark(previous == null ? ts : Math.max(ts, previous.ts()), record.sequenceNumber(), appliedAt);
    }

    /**
     * The stream, read at {@code asOf} after this replicator's last batch, had nothing more: every record committed
     * before then has been applied, so each replica is caught up as of {@code asOf} without a heartbeat to prove it.
     * The claim moves the replicas' marks in memory and is told to the listeners (it is stored with the next batch).
     * A replica this replicator has not applied a record to yet is left out: it may have joined the stream after
     * records it missed (a replica being added), and only a record applied to it proves it is fed.
     */
    public void caughtUp(long asOf) {
        caughtUp(Lanes.SINGLE, asOf);
    }

    /** {@link #caughtUp(long)} for one lane: its records committed before {@code asOf} are all applied. */
    public void caughtUp(String lane, long asOf) {
        long now = clock.millis();
        for (int r = 0; r < replicas.size(); r++) {
            Lanes p = progress[r];
            Watermark frontier;
            synchronized (p) {
                if (p.isEmpty()) {
                    continue;
                }
                Watermark old = p.mark(lane);
                if (old != null && asOf <= old.ts()) {
                    continue;
                }
                p.advance(lane, new Watermark(asOf, old == null ? null : old.sequenceNumber(), now));
                frontier = p.frontier();
            }
            tellLane(r + 1, lane);
            if (frontier != null) {
                listener.watermark(shard, r + 1, frontier);
            }
        }
    }

    /** A replica's mark per lane (empty before its first record): what {@code /v1/replication} shows per lane. */
    public Map<String, Watermark> lanes(int replica) {
        Lanes p = progress[replica - 1];
        synchronized (p) {
            return p.all();
        }
    }

    /**
     * Takes over the watermarks of the replicator this one replaces (a replica added or removed), for the replicas
     * both feed: the stream goes on where the previous left off, so they need no new record to be known as fed.
     */
    public void carryOver(Replicator previous) {
        for (int r = 0; r < replicas.size(); r++) {
            for (int p = 0; p < previous.replicas.size(); p++) {
                if (replicas.get(r).table().equals(previous.replicas.get(p).table())) {
                    Lanes old = previous.progress[p];
                    Lanes copy = new Lanes();
                    synchronized (old) {
                        copy.copyFrom(old);
                    }
                    synchronized (progress[r]) {
                        progress[r].copyFrom(copy);
                    }
                }
            }
        }
    }

    /**
     * Moves the lane's mark, then tells and (at most every save interval) stores the replica's frontier. Watermarks
     * are advisory: a failed or skipped save is made good by a later batch (heartbeats ensure one).
     */
    private void saveWatermark(int replica, ReplicaStore store, String lane, Watermark mark) {
        Lanes p = progress[replica - 1];
        Watermark watermark;
        synchronized (p) {
            p.advance(lane, mark);
            watermark = p.frontier();
        }
        tellLane(replica, lane);
        if (watermark == null) {
            return; // a lane not heard from yet: no frontier to tell
        }
        listener.watermark(shard, replica, watermark);
        long now = clock.millis();
        synchronized (watermarkSavedAt) {
            if (now - watermarkSavedAt[replica - 1] < watermarkSaveInterval.toMillis()) {
                return;
            }
            watermarkSavedAt[replica - 1] = now;
        }
        try {
            store.saveWatermark(watermark);
        } catch (RuntimeException e) {
            listener.watermarkNotSaved(shard, replica, e);
        }
    }

    private void tellLane(int replica, String lane) {
        if (!Lanes.SINGLE.equals(lane)) {
            Watermark mark;
            synchronized (progress[replica - 1]) {
                mark = progress[replica - 1].mark(lane);
            }
            if (mark != null) { // null: closed meanwhile
                listener.lane(shard, replica, lane, mark);
            }
        }
    }

    private static int join(Future<Integer> pass) {
        try {
            return pass.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (ExecutionException e) {
            return 0; // a pass does not throw; if it did, nothing of it counts as done
        }
    }

    @Override
    public void close() {
        passes.shutdownNow();
    }
}
