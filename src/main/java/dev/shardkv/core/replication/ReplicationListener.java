package dev.shardkv.core.replication;

/**
 * Told about every record the replicator applies or fails on: feeds lag tracking and metrics. Called
 * from one thread per replica at a time, so implementations must be thread-safe across replicas.
 */
public interface ReplicationListener {
    ReplicationListener NONE = new ReplicationListener() {
    };

    /** A record reached a replica ({@code result} says whether it changed it); lag = appliedAt - commit ts. */
    default void applied(String shard, int replica, ChangeRecord record, ApplyResult result, long appliedAt) {
    }

    /** Applying a record to a replica failed; the batch will be retried from this record. */
    default void failed(String shard, int replica, ChangeRecord record, Exception error) {
    }

    /** A replica's watermark moved. */
    default void watermark(String shard, int replica, Watermark watermark) {
    }

    /** A batch ended (all replicas done or failed): metrics that are emitted per invocation flush here. */
    default void batchDone(String shard) {
    }

    /** A replica's watermark could not be stored (it is kept in memory and saved with the next batch). */
    default void watermarkNotSaved(String shard, int replica, Exception error) {
    }
}
