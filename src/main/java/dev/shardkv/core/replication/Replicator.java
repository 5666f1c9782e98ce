package dev.shardkv.core.replication;

import dev.shardkv.core.store.ReplicaStore;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies a batch of a leader's change records, in order, to every replica of the shard. A record
 * that fails on any replica stops the batch: the records before it are done (their watermarks are
 * saved) and the caller retries from the failed record, so there is never a gap. Re-applying what
 * was already applied is a no-op by the {@link ApplyRule}.
 */
public final class Replicator {
    private final String shard;
    private final List<ReplicaStore> replicas;
    private final Clock clock;
    private final ReplicationListener listener;
    private volatile ApplyHook hook;

    public Replicator(String shard, List<ReplicaStore> replicas, Clock clock, ReplicationListener listener) {
        this.shard = shard;
        this.replicas = List.copyOf(replicas);
        this.clock = clock;
        this.listener = Objects.requireNonNull(listener);
        this.hook = ApplyHook.NONE;
    }

    public String shard() {
        return shard;
    }

    public int replicaCount() {
        return replicas.size();
    }

    public void setHook(ApplyHook hook) {
        this.hook = hook == null ? ApplyHook.NONE : hook;
    }

    /** The outcome of one batch: how many records were completed, and the first that failed, if any. */
    public record BatchResult(int completed, Optional<String> firstFailedSequenceNumber) {
        public boolean succeeded() {
            return firstFailedSequenceNumber.isEmpty();
        }
    }

    public BatchResult apply(List<ChangeRecord> records) {
        int replicaCount = replicas.size();
        Watermark[] progress = new Watermark[replicaCount];
        int completed = 0;
        String failedAt = null;
        for (ChangeRecord record : records) {
            boolean ok = true;
            for (int r = 0; r < replicaCount; r++) {
                int replica = r + 1;
                try {
                    hook.beforeApply(shard, replica, record);
                    ApplyResult result = applyOne(replicas.get(r), record);
                    long appliedAt = clock.millis();
                    listener.applied(shard, replica, record, result, appliedAt);
                    progress[r] = advance(progress[r], record, appliedAt);
                } catch (Exception e) {
                    listener.failed(shard, replica, record, e);
                    ok = false;
                    break;
                }
            }
            if (!ok) {
                failedAt = record.sequenceNumber();
                break;
            }
            completed++;
        }
        saveWatermarks(progress);
        return new BatchResult(completed, Optional.ofNullable(failedAt));
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

    /** Watermarks are advisory: a failed save is reported, and the next batch saves a newer one. */
    private void saveWatermarks(Watermark[] progress) {
        for (int r = 0; r < progress.length; r++) {
            if (progress[r] != null) {
                listener.watermark(shard, r + 1, progress[r]);
                try {
                    replicas.get(r).saveWatermark(progress[r]);
                } catch (RuntimeException e) {
                    listener.watermarkNotSaved(shard, r + 1, e);
                }
            }
        }
    }
}
