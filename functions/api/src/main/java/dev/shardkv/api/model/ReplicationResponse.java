package dev.shardkv.api.model;

import dev.shardkv.core.gateway.ShardLoad;
import dev.shardkv.core.gateway.WriteThrottle;
import dev.shardkv.core.replication.ReplicaStatus;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.verify.LastVerification;
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

    /**
     * What the gateway sent the shard: totals since it started, rates over the last 10 s,
     * whether the shard is hot, and for a hot shard where to split it or its one hot key.
     *
     * @param reads           reads since the gateway started
     * @param writes          writes since the gateway started
     * @param throttles       requests the shard's functions refused as throttled, since the gateway started
     */
    @Schema(name = "ShardLoad")
    public record Load(long reads, long writes, long throttles,
            @Schema(description = "Reads per second routed to the shard over the last 10 s") double readsPerSecond,
            @Schema(description = "Writes per second routed to the shard over the last 10 s") double writesPerSecond,
            @Schema(description = "Bytes of values written to and read from the shard per second over the last 10 s")
            double bytesPerSecond,
            @Schema(description = "At least 20 requests/s (reads + writes over the last 10 s) and at least twice the "
                    + "mean of the other live shards") boolean hot,
            @Schema(nullable = true, description = "For a hot shard: the routing key to split it at so that its "
                    + "requests fall about evenly on both halves, as POST /v1/admin/splits takes it as \"at\" (a "
                    + "lower-case key under range routing, 16 hex digits under hash routing); null when the shard "
                    + "is not hot, has a hot key, or its sample shows no split that leaves a quarter on each side")
            String splitAt,
            @Schema(nullable = true, description = "For a hot shard: a key that carries half of its requests or "
                    + "more, which no split can spread (then splitAt is null)") String hotKey) {

        public static Load of(ShardLoad.Snapshot totals, ShardLoad.Report report) {
            ShardLoad.Rates rates = report.rates();
            return new Load(totals.reads(), totals.writes(), totals.throttles(), round(rates.readsPerSecond()),
                    round(rates.writesPerSecond()), round(rates.bytesPerSecond()), report.hot(), report.splitAt(),
                    report.hotKey());
        }

        /** Two decimals are plenty for a rate. */
        static double round(double rate) {
            return Math.round(rate * 100) / 100.0;
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
     * @param lastVerification what the replica's last verification left; null when it was never verified
     * @param lanes          where several lanes feed the replica (stream shards read at once, or their parallel
     *                       batches): each lane's lag; {@code lagMs} is the slowest's. Empty with one lane.
     */
    public record ReplicaState(int replica, String name, String table, @Schema(nullable = true) Long lagMs,
            boolean healthy, @Schema(nullable = true) Long heartbeatAgeMs, Delay delay,
            @Schema(nullable = true) Watermark watermark, long applied, long alreadyApplied, long errors,
            @Schema(nullable = true) Verification lastVerification, java.util.Map<String, Long> lanes) {

        public static ReplicaState of(ReplicaStatus status, String table, LastVerification last) {
            return new ReplicaState(status.replica(), "replica-" + status.replica(), table,
                    status.lagMs().isPresent() ? status.lagMs().getAsLong() : null, status.healthy(),
                    status.heartbeatAgeMs().isPresent() ? status.heartbeatAgeMs().getAsLong() : null,
                    new Delay(status.samples(), status.p50(), status.p90(), status.p99(), status.max()),
                    status.watermark(), status.applied(), status.alreadyApplied(), status.errors(),
                    last == null ? null : Verification.of(last), status.laneLagMs());
        }
    }

    /**
     * The replica's last verification (POST /v1/admin/verifications), as the gateway read it at most a second ago.
     *
     * @param at         when the verification read the leader (epoch ms)
     * @param unrepaired missing + different + extra - repaired, never below 0: while above 0 the replica is
     *                   divergent and serves no reads
     * @param operation  the verification's operation id
     */
    @Schema(name = "LastVerification")
    public record Verification(long at, long missing, long different, long extra, long repaired, long unrepaired,
            String operation) {
        public static Verification of(LastVerification last) {
            return new Verification(last.at(), last.missing(), last.different(), last.extra(), last.repaired(),
                    last.unrepaired(), last.operation());
        }
    }

    @Schema(name = "ReplicationDelay",
            description = "Per record, its commit on the leader to its apply on the replica: percentiles over the "
                    + "records applied in the last windowMs, in milliseconds (samples: how many records)")
    public record Delay(long samples, long p50, long p90, long p99, long max) {
    }
}
