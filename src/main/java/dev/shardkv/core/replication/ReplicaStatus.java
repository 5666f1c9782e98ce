package dev.shardkv.core.replication;

import java.util.OptionalLong;

/**
 * A replica's replication state at one moment, as {@code GET /v1/replication} shows it.
 *
 * @param lagMs          how far behind the replica is now ({@code now - watermark.ts}); empty = unknown
 * @param healthy        lag known (a record, at least a heartbeat, applied within the unknown-after time)
 * @param heartbeatAgeMs how old the newest heartbeat applied on the replica is now; empty before the first
 * @param samples        how many records the delay percentiles ({@code p50 .. max}) cover: per record, its
 *                       commit on the leader to its apply on the replica, over the tracker's window
 * @param laneLagMs      per lane (a stream shard, or one of its parallel batches) how far behind it is, where several
 *                       feed the replica; {@code lagMs} is the slowest's. Empty with one lane.
 */
public record ReplicaStatus(String shard, int replica, Watermark watermark, OptionalLong lagMs, boolean healthy,
        OptionalLong heartbeatAgeMs, long samples, long p50, long p90, long p99, long max, long applied,
        long alreadyApplied, long errors, java.util.Map<String, Long> laneLagMs) {
}
