package dev.shardkv.core.replication;

import dev.shardkv.core.kv.Keys;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;

/**
 * Per shard and replica: the watermark (so the lag now), the delay of every applied record over a
 * sliding window, and counts. The replicator feeds it as a {@link ReplicationListener}; a gateway that
 * cannot see the replicator (on AWS) feeds it the watermarks its readers return. Lag is never made up:
 * with no record applied within {@code unknownAfter}, a replica's lag is unknown and it is unhealthy.
 */
public final class ReplicationTracker implements ReplicationListener {
    private final Clock clock;
    private final Duration unknownAfter;
    private final Duration window;
    private final Map<String, ReplicaState> states = new ConcurrentHashMap<>();

    public ReplicationTracker(Clock clock, Duration unknownAfter, Duration window) {
        this.clock = clock;
        this.unknownAfter = unknownAfter;
        this.window = window;
    }

    public Duration unknownAfter() {
        return unknownAfter;
    }

    /** The time span the delay percentiles cover (a sliding window). */
    public Duration window() {
        return window;
    }

    @Override
    public void applied(String shard, int replica, ChangeRecord record, ApplyResult result, long appliedAt) {
        ReplicaState state = state(shard, replica);
        synchronized (state) {
            if (result == ApplyResult.APPLIED) {
                state.applied++;
            } else if (result == ApplyResult.ALREADY_APPLIED) {
                state.alreadyApplied++;
            }
            if (record.commitTs() >= 0 && result != ApplyResult.IGNORED) {
                state.delays.record(appliedAt - record.commitTs(), appliedAt);
                if (Keys.HEARTBEAT_KEY.equals(record.key())) {
                    state.lastHeartbeatTs = Math.max(state.lastHeartbeatTs, record.commitTs());
                }
            }
        }
    }

    @Override
    public void failed(String shard, int replica, ChangeRecord record, Exception error) {
        ReplicaState state = state(shard, replica);
        synchronized (state) {
            state.errors++;
        }
    }

    @Override
    public void watermark(String shard, int replica, Watermark watermark) {
        observe(shard, replica, watermark);
    }

    @Override
    public void lane(String shard, int replica, String lane, Watermark mark) {
        ReplicaState state = state(shard, replica);
        synchronized (state) {
            state.lanes.merge(lane, mark, (old, next) -> next.ts() >= old.ts() ? next : old);
        }
    }

    @Override
    public void laneClosed(String shard, int replica, String lane) {
        ReplicaState state = state(shard, replica);
        synchronized (state) {
            state.lanes.remove(lane);
        }
    }

    /** Keeps the newest watermark seen for a replica (by commit time, then by apply time). */
    public void observe(String shard, int replica, Watermark watermark) {
        if (watermark == null) {
            return;
        }
        ReplicaState state = state(shard, replica);
        synchronized (state) {
            Watermark old = state.watermark;
            if (old == null || watermark.ts() > old.ts()
                    || watermark.ts() == old.ts() && watermark.appliedAt() > old.appliedAt()) {
                state.watermark = watermark;
            }
        }
    }

    public Optional<Watermark> watermark(String shard, int replica) {
        ReplicaState state = states.get(key(shard, replica));
        if (state == null) {
            return Optional.empty();
        }
        synchronized (state) {
            return Optional.ofNullable(state.watermark);
        }
    }

    /** The replica's lag: how far behind it is now, or empty when that is unknown. */
    public OptionalLong lag(String shard, int replica) {
        return lag(watermark(shard, replica).orElse(null), clock.millis());
    }

    OptionalLong lag(Watermark w, long now) {
        if (w == null || now - w.appliedAt() > unknownAfter.toMillis()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(w.lagAt(now));
    }

    /** Everything known about the replica now: lag, health, delay percentiles, counts. */
    public ReplicaStatus status(String shard, int replica) {
        long now = clock.millis();
        ReplicaState state = state(shard, replica);
        synchronized (state) {
            Histogram h = state.delays.snapshot(now);
            OptionalLong lag = lag(state.watermark, now);
            long samples = h.getTotalCount();
            OptionalLong heartbeatAge = state.lastHeartbeatTs < 0 ? OptionalLong.empty()
                    : OptionalLong.of(Math.max(0, now - state.lastHeartbeatTs));
            return new ReplicaStatus(shard, replica, state.watermark, lag, lag.isPresent(), heartbeatAge, samples,
                    samples == 0 ? 0 : h.getValueAtPercentile(50), samples == 0 ? 0 : h.getValueAtPercentile(90),
                    samples == 0 ? 0 : h.getValueAtPercentile(99), samples == 0 ? 0 : h.getMaxValue(),
                    state.applied, state.alreadyApplied, state.errors, laneLags(state.lanes, now));
        }
    }

    private static Map<String, Long> laneLags(Map<String, Watermark> lanes, long now) {
        Map<String, Long> lags = new java.util.TreeMap<>();
        lanes.forEach((lane, mark) -> lags.put(lane, mark.lagAt(now)));
        return lags;
    }

    private ReplicaState state(String shard, int replica) {
        return states.computeIfAbsent(key(shard, replica), k -> new ReplicaState(window.toMillis()));
    }

    private static String key(String shard, int replica) {
        return shard + "/" + replica;
    }

    private static final class ReplicaState {
        final DelayWindow delays;
        Watermark watermark;
        final Map<String, Watermark> lanes = new java.util.HashMap<>();
        long lastHeartbeatTs = -1;
        long applied;
        long alreadyApplied;
        long errors;

        ReplicaState(long windowMs) {
            this.delays = new DelayWindow(windowMs, 12);
        }
    }
}
