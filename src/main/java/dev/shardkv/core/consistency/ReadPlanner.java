package dev.shardkv.core.consistency;

import dev.shardkv.core.replication.ReplicationTracker;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.topology.ShardEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Chooses who answers a read. A replica is used only when it keeps the promise of the requested
 * consistency; otherwise the leader answers. Among replicas that qualify, one is picked at random so
 * that reads spread over them. A replica whose last verification left differences unrepaired (a divergent
 * one) never qualifies, whatever its lag: it holds items its leader does not.
 */
public final class ReadPlanner {
    /**
     * How much newer than the session's last write a replica's watermark must be. A write's commit time
     * is read from the clock before it commits, so a record with a later commit time (a heartbeat, another
     * client's write) can commit, and be applied, before it: a watermark equal to, or just past, the
     * write's time does not prove the write applied. It does once it is past it by more than a write takes
     * from its clock read to its commit; a second is far more than a DynamoDB write takes.
     */
    public static final long SESSION_MARGIN_MS = 1_000;

    private final ReplicationTracker tracker;
    private final Supplier<Set<String>> divergent;

    public ReadPlanner(ReplicationTracker tracker) {
        this(tracker, Set::of);
    }

    /** @param divergent the replica tables held back from reads (asked once per read: keep it cheap) */
    public ReadPlanner(ReplicationTracker tracker, Supplier<Set<String>> divergent) {
        this.tracker = tracker;
        this.divergent = divergent;
    }

    public ReadTarget choose(ShardEntry entry, Consistency consistency, long maxLagMs, ConsistencyToken token) {
        if (consistency == Consistency.STRONG) {
            return ReadTarget.LEADER;
        }
        String shard = entry.id();
        Set<String> held = divergent.get();
        List<ReadTarget> candidates = new ArrayList<>();
        for (int replica = 1; replica <= entry.replicaCount(); replica++) {
            if (!held.isEmpty() && held.contains(entry.replicaTable(replica))) {
                continue; // divergent: as with unknown lag, the leader answers when no other replica qualifies
            }
            OptionalLong lag = tracker.lag(shard, replica);
            if (lag.isEmpty()) {
                continue; // unknown lag is unhealthy, never zero
            }
            boolean qualifies = switch (consistency) {
                case EVENTUAL -> true;
                case BOUNDED -> lag.getAsLong() <= maxLagMs;
                case SESSION -> tracker.watermark(shard, replica).map(w -> covers(w, token.commitTs(shard))).orElse(false);
                case STRONG -> false;
            };
            if (qualifies) {
                candidates.add(new ReadTarget(replica, lag));
            }
        }
        if (candidates.isEmpty()) {
            return ReadTarget.LEADER;
        }
        return candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
    }

    private static boolean covers(Watermark w, long commitTs) {
        return w.covers(commitTs + SESSION_MARGIN_MS + 1);
    }
}
