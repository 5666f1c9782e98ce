package dev.shardkv.core.gateway;

import dev.shardkv.core.protocol.ShardClient;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.replication.ReplicationTracker;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.topology.ShardEntry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On AWS the gateway learns replica watermarks from the readers, at most once per interval per shard;
 * where the replicator feeds the tracker directly (embedded) the interval is null and this does nothing.
 */
final class WatermarkRefresher {
    private static final Logger LOG = LoggerFactory.getLogger(WatermarkRefresher.class);

    private final ShardClient shards;
    private final ReplicationTracker tracker;
    private final Clock clock;
    private final Duration interval;
    private final Map<String, AtomicLong> lastRefresh = new ConcurrentHashMap<>();

    WatermarkRefresher(ShardClient shards, ReplicationTracker tracker, Clock clock, Duration interval) {
        this.shards = shards;
        this.tracker = tracker;
        this.clock = clock;
        this.interval = interval;
    }

    void refreshIfDue(ShardEntry shard) {
        if (interval == null) {
            return;
        }
        AtomicLong last = lastRefresh.computeIfAbsent(shard.id(), id -> new AtomicLong());
        long now = clock.millis();
        long previous = last.get();
        if (now - previous < interval.toMillis() || !last.compareAndSet(previous, now)) {
            return;
        }
        try {
            ShardResponse response = shards.reader(shard.id(), ShardRequest.watermarks());
            List<Watermark> marks = response.watermarks();
            if (marks != null) {
                for (int i = 0; i < marks.size(); i++) {
                    tracker.observe(shard.id(), i + 1, marks.get(i));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("could not refresh replica watermarks of shard {}", shard.id(), e);
        }
    }
}
