package dev.shardkv.core.reshard;

import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.store.LeaderStore;
import java.time.Clock;
import java.util.List;

/**
 * Heartbeats an operation writes on leaders while it waits for their replicas' stored watermarks to move: a quiet
 * shard has no record to move them, and the heartbeat function beats only every few seconds (the embedded
 * runtime learns idle lag without it), so a wait that needs fresh evidence makes its own, at most every 500 ms.
 */
final class Beats {
    static final long EVERY_MS = 500;
    private final List<LeaderStore> leaders;
    private final Clock clock;
    private long last = Long.MIN_VALUE / 2;

    Beats(List<LeaderStore> leaders, Clock clock) {
        this.leaders = List.copyOf(leaders);
        this.clock = clock;
    }

    /** Beats every leader if the last beat is {@link #EVERY_MS} old. */
    void beatIfDue() {
        long now = clock.millis();
        if (now - last < EVERY_MS) {
            return;
        }
        last = now;
        for (LeaderStore leader : leaders) {
            leader.put(Keys.HEARTBEAT_KEY, "{\"heartbeat\":" + now + "}", now, Precondition.NONE);
        }
    }
}
