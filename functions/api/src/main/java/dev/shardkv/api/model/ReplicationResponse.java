package dev.shardkv.api.model;

import dev.shardkv.core.gateway.ShardLoad;
import dev.shardkv.core.gateway.WriteThrottle;
import dev.shardkv.core.replication.ReplicaLag;
import dev.shardkv.core.replication.Watermark;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How far behind each replica is: {@code lagMs}, how stale it may be now; {@code window}, the
 * per-record commit-to-apply lag over the last {@code windowMs}.
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

    /** Whether writes to the shard are refused while a replica is further behind than maxLagMs. */
    public record Throttle(boolean enabled, boolean active, long maxLagMs, long lagMs, long rejected) {
        public static Throttle of(boolean enabled, WriteThrottle.State state) {
            return new Throttle(enabled, state.active(), state.maxLagMs(), state.lagMs(), state.rejected());
        }
    }

    /**
     * @param lagMs          how stale the replica may be now; null: unknown
     * @param heartbeatAgeMs how old the newest heartbeat applied on the replica is; null before the first
     */
    public record ReplicaState(String replica, String table, @Schema(nullable = true) Long lagMs, boolean healthy,
            @Schema(nullable = true) Long heartbeatAgeMs, LagWindow window, @Schema(nullable = true) Watermark watermark,
            long applied, long alreadyApplied, long errors) {

        public static ReplicaState of(ReplicaLag lag, String table) {
            return new ReplicaState("replica-" + lag.replica(), table,
                    lag.stalenessMs().isPresent() ? lag.stalenessMs().getAsLong() : null, lag.healthy(),
                    lag.heartbeatAgeMs().isPresent() ? lag.heartbeatAgeMs().getAsLong() : null,
                    new LagWindow(lag.samples(), lag.p50(), lag.p90(), lag.p99(), lag.max()), lag.watermark(),
                    lag.applied(), lag.alreadyApplied(), lag.errors());
        }
    }

    @Schema(description = "Commit-to-apply lag of the records applied over the window, in milliseconds")
    public record LagWindow(long samples, long p50, long p90, long p99, long max) {
    }
}
