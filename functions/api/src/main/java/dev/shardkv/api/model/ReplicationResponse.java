package dev.shardkv.api.model;

import dev.shardkv.core.gateway.ShardLoad;
import dev.shardkv.core.gateway.WriteThrottle;
import dev.shardkv.core.replication.ReplicaStatus;
import dev.shardkv.core.replication.Watermark;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How far behind each replica is: {@code lagMs}, how far behind it is now; {@code delay}, the per-record
 * commit-to-apply delay percentiles over the last {@code windowMs}.
 *
 * @param windowMs       the time span the {@code delay} percentiles cover
 * @param unknownAfterMs a replica with nothing applied for this long has unknown lag ({@code null}) and is unhealthy
 */
public record ReplicationResponse(long at, long unknownAfterMs, long windowMs, List<ShardReplication> shards) {

    public record ShardReplication(String shard, String leader, Load load, Throttle writeThrottle,
            List<ReplicaState> replicas) {
    }

    /** What the gateway sent the shard since it started. */
    @Schema(name = "ShardLoad")
    public record Load(long reads, long writes, long throttles) {
        public static Load of(ShardLoad.Snapshot load) {
            return new Load(load.reads(), load.writes(), load.throttles());
        }
    }

    /** Whether writes to the shard are refused while a replica's lag is over maxLagMs. */
    public record Throttle(boolean enabled, boolean active, long maxLagMs, long lagMs, long rejected) {
        public static Throttle of(boolean enabled, WriteThrottle.State state) {
            return new Throttle(enabled, state.active(), state.maxLagMs(), state.lagMs(), state.rejected());
        }
    }

    /**
     * One replica, named as in {@code /v1/shards}: its number and name, then its state.
     *
     * @param replica        the replica's number, 1-based
     * @param name           {@code replica-<n>}: what {@code servedBy} and the metrics' Replica dimension call it
     * @param lagMs          how far behind the replica is now ({@code now - watermark.ts}); null: unknown
     * @param heartbeatAgeMs how old the newest heartbeat applied on the replica is; null before the first
     * @param delay          per-record commit-to-apply delay percentiles over the last {@code windowMs}
     */
    public record ReplicaState(int replica, String name, String table, @Schema(nullable = true) Long lagMs,
            boolean healthy, @Schema(nullable = true) Long heartbeatAgeMs, Delay delay,
            @Schema(nullable = true) Watermark watermark, long applied, long alreadyApplied, long errors) {

        public static ReplicaState of(ReplicaStatus status, String table) {
            return new ReplicaState(status.replica(), "replica-" + status.replica(), table,
                    status.lagMs().isPresent() ? status.lagMs().getAsLong() : null, status.healthy(),
                    status.heartbeatAgeMs().isPresent() ? status.heartbeatAgeMs().getAsLong() : null,
                    new Delay(status.samples(), status.p50(), status.p90(), status.p99(), status.max()),
                    status.watermark(), status.applied(), status.alreadyApplied(), status.errors());
        }
    }

    @Schema(name = "ReplicationDelay",
            description = "Per record, its commit on the leader to its apply on the replica: percentiles over the "
                    + "records applied in the last windowMs, in milliseconds (samples: how many records)")
    public record Delay(long samples, long p50, long p90, long p99, long max) {
    }
}
