package dev.shardkv.core.gateway;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.replication.ReplicationTracker;
import dev.shardkv.core.topology.ShardEntry;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lag-aware write admission, as Vitess's tablet throttler: while a replica of a shard is more than
 * {@code maxLag} behind its leader, writes to that shard are refused with 429 and Retry-After
 * instead of making the lag grow without bound. Replicas whose lag is unknown (no progress for
 * {@code unknown-after}) do not count: a stopped replica must not stop its shard's writes.
 */
public final class WriteThrottle {
    public static final int RETRY_AFTER_S = 1;
    private final ReplicationTracker tracker;
    private final long maxLagMs;
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();

    /** @param maxLag zero turns the throttle off */
    public WriteThrottle(ReplicationTracker tracker, Duration maxLag) {
        this.tracker = tracker;
        this.maxLagMs = maxLag.toMillis();
    }

    public boolean enabled() {
        return maxLagMs > 0;
    }

    public long maxLagMs() {
        return maxLagMs;
    }

    /** Lets a write to the shard through, or refuses it while a replica is too far behind. */
    public void admit(ShardEntry shard) {
        if (!enabled()) {
            return;
        }
        long worst = worstLag(shard);
        if (worst > maxLagMs) {
            rejected.computeIfAbsent(shard.id(), s -> new LongAdder()).increment();
            throw new ShardKvException(ProblemType.WRITES_THROTTLED,
                    "Replicas of shard %s are %d ms behind, over the %d ms this gateway allows; writes to the shard pause until they catch up. Retry after %d s."
                            .formatted(shard.id(), worst, maxLagMs, RETRY_AFTER_S),
                    Map.of("shard", shard.id(), "lagMs", worst, "maxLagMs", maxLagMs, "retryAfter", RETRY_AFTER_S));
        }
    }

    /** The throttle's state for a shard: on or off now, the worst known lag, writes refused so far. */
    public record State(boolean active, long maxLagMs, long lagMs, long rejected) {
    }

    public State state(ShardEntry shard) {
        long worst = worstLag(shard);
        LongAdder count = rejected.get(shard.id());
        return new State(enabled() && worst > maxLagMs, maxLagMs, Math.max(0, worst), count == null ? 0 : count.sum());
    }

    /** The largest known lag among the shard's replicas; -1 when none is known. */
    private long worstLag(ShardEntry shard) {
        long worst = -1;
        for (int r = 1; r <= shard.replicaCount(); r++) {
            OptionalLong lag = tracker.lag(shard.id(), r);
            if (lag.isPresent()) {
                worst = Math.max(worst, lag.getAsLong());
            }
        }
        return worst;
    }
}
