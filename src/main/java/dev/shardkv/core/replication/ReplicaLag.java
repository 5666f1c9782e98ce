package dev.shardkv.core.replication;

import java.util.OptionalLong;

/**
 * A replica's replication state at one moment, as {@code GET /v1/replication} shows it.
 *
 * @param stalenessMs how stale the replica may be now ({@code now - watermark.ts}); empty = unknown
 * @param healthy     staleness known (a record, at least a heartbeat, applied within the unknown-after time)
 * @param heartbeatAgeMs how old the newest heartbeat applied on the replica is now; empty before the first
 */
public record ReplicaLag(String shard, int replica, Watermark watermark, OptionalLong stalenessMs, boolean healthy,
        OptionalLong heartbeatAgeMs, long samples, long p50, long p90, long p99, long max, long applied,
        long alreadyApplied, long errors) {
}
