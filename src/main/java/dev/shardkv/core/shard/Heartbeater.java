package dev.shardkv.core.shard;

import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.WriteOutcome;
import dev.shardkv.core.store.LeaderStore;
import java.time.Clock;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a heartbeat to every leader, so that each replica's lag is known even when its shard has no
 * traffic: the heartbeat is replicated like any write and moves the replica's watermark.
 */
public final class Heartbeater {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeater.class);
    private final Map<String, LeaderStore> leaders;
    private final Clock clock;

    public Heartbeater(Map<String, LeaderStore> leadersByShard, Clock clock) {
        this.leaders = new ConcurrentSkipListMap<>(leadersByShard);
        this.clock = clock;
    }

    /** A shard added at run time (a reshard's target) beats from the next round on. */
    public void add(String shard, LeaderStore leader) {
        leaders.put(shard, leader);
    }

    /** A retired shard beats no more: its replicas' lag then grows, as it should. */
    public void remove(String shard) {
        leaders.remove(shard);
    }

    /** One heartbeat per leader; a failing leader does not stop the others. Returns how many were written. */
    public int beatOnce() {
        int written = 0;
        for (Map.Entry<String, LeaderStore> leader : leaders.entrySet()) {
            long now = clock.millis();
            try {
                WriteOutcome outcome = leader.getValue().put(Keys.HEARTBEAT_KEY, "{\"heartbeat\":" + now + "}", now,
                        Precondition.NONE);
                if (outcome instanceof WriteOutcome.Written) {
                    written++;
                }
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return written; // shutting down
                }
                LOG.warn("heartbeat to shard {} failed", leader.getKey(), e);
            }
        }
        return written;
    }
}
