package dev.shardkv.core.replication;

/**
 * Told about every record the replicator applies or fails on: feeds the tracker and metrics. Called
 * from several threads at once (replicas are applied in parallel, and so are lanes), so implementations must be
 * thread-safe.
 */
public interface ReplicationListener {
    ReplicationListener NONE = new ReplicationListener() {
    };

    /** A record reached a replica ({@code result} says whether it changed it); its delay = appliedAt - commit ts. */
    default void applied(String shard, int replica, ChangeRecord record, ApplyResult result, long appliedAt) {
    }

    /** Applying a record to a replica failed; the batch will be retried from this record. */
    default void failed(String shard, int replica, ChangeRecord record, Exception error) {
    }

    /** A replica's watermark moved. */
    default void watermark(String shard, int replica, Watermark watermark) {
    }

    /**
     * A lane's mark moved (only where several lanes feed the replicas: stream shards read at once, or their parallel
     * batches); the replica's watermark is the slowest lane's, told by {@link #watermark}.
     */
    default void lane(String shard, int replica, String lane, Watermark mark) {
    }

    /** A lane ended (a parent stream shard, all of it applied): it is no longer shown or counted. */
    default void laneClosed(String shard, int replica, String lane) {
    }

    /** A batch ended (all replicas done or failed): metrics that are emitted per invocation flush here. */
    default void batchDone(String shard) {
    }

    /** A replica's watermark could not be stored (it is kept in memory and saved with the next batch). */
    default void watermarkNotSaved(String shard, int replica, Exception error) {
    }

    /** Tells {@code first}, then {@code second}. */
    static ReplicationListener both(ReplicationListener first, ReplicationListener second) {
        return new ReplicationListener() {
            @Override
            public void applied(String shard, int replica, ChangeRecord record, ApplyResult result, long appliedAt) {
                first.applied(shard, replica, record, result, appliedAt);
                second.applied(shard, replica, record, result, appliedAt);
            }

            @Override
            public void failed(String shard, int replica, ChangeRecord record, Exception error) {
                first.failed(shard, replica, record, error);
                second.failed(shard, replica, record, error);
            }

            @Override
            public void watermark(String shard, int replica, Watermark watermark) {
                first.watermark(shard, replica, watermark);
                second.watermark(shard, replica, watermark);
            }

            @Override
            public void lane(String shard, int replica, String lane, Watermark mark) {
                first.lane(shard, replica, lane, mark);
                second.lane(shard, replica, lane, mark);
            }

            @Override
            public void laneClosed(String shard, int replica, String lane) {
                first.laneClosed(shard, replica, lane);
                second.laneClosed(shard, replica, lane);
            }

            @Override
            public void batchDone(String shard) {
                first.batchDone(shard);
                second.batchDone(shard);
            }

            @Override
            public void watermarkNotSaved(String shard, int replica, Exception error) {
                first.watermarkNotSaved(shard, replica, error);
                second.watermarkNotSaved(shard, replica, error);
            }
        };
    }
}
