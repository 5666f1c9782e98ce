package dev.shardkv.core.reshard;

import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.ChangeRecord;
import dev.shardkv.core.store.Fence;
import dev.shardkv.core.topology.RoutingKeys;
import dev.shardkv.core.topology.RoutingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catch-up phase of a reshard: the source leader's stream, in order, applied to the targets by range
 * (by the apply rule, so records the copy already holds change nothing), up to the record of the
 * operation's own freeze. Nothing after it is applied: a write that committed after the freeze was never
 * acknowledged, and stays behind with the source.
 */
public final class CatchUp {
    /**
     * @param applied      client records applied to a target in this batch
     * @param reachedFence the batch held the freeze: the targets now hold every acknowledged write
     * @param lastCommitTs the commit time of the newest record applied so far (-1 before any)
     */
    public record Result(int applied, boolean reachedFence, long lastCommitTs) {
    }

    private final String operation;
    private final RoutingMode routing;
    private final List<Copier.Target> targets;
    private boolean reachedFence;
    private long lastCommitTs = -1;

    public CatchUp(String operation, RoutingMode routing, List<Copier.Target> targets) {
        this.operation = operation;
        this.routing = routing;
        this.targets = List.copyOf(targets);
    }

    /** Applies a batch of the source's records, in stream order. After the freeze, a batch changes nothing. */
    public synchronized Result apply(List<ChangeRecord> records) {
        Map<Copier.Target, List<StoredItem>> upserts = new LinkedHashMap<>();
        int applied = 0;
        for (ChangeRecord record : records) {
            if (reachedFence) {
                break;
            }
            if (isOurFreeze(record)) {
                reachedFence = true;
            } else if (!Keys.isReserved(record.key()) && record.kind() != ChangeRecord.Kind.TTL_EXPIRY) {
                Copier.Target target = owner(record.key());
                if (record.kind() == ChangeRecord.Kind.UPSERT) {
                    upserts.computeIfAbsent(target, t -> new ArrayList<>()).add(record.item());
                    lastCommitTs = Math.max(lastCommitTs, record.commitTs());
                } else {
                    flush(upserts); // a removal after upserts of the same key keeps its place
                    target.leader().remove(record.key(), record.oldVersion());
                }
                applied++;
            }
        }
        flush(upserts);
        return new Result(applied, reachedFence, lastCommitTs);
    }

    public synchronized boolean reachedFence() {
        return reachedFence;
    }

    private boolean isOurFreeze(ChangeRecord record) {
        if (!Keys.FENCE_KEY.equals(record.key()) || record.kind() != ChangeRecord.Kind.UPSERT) {
            return false;
        }
        Fence fence = Fence.of(Optional.of(record.item()));
        return fence.frozen() && operation.equals(fence.operation());
    }

    private Copier.Target owner(String key) {
        String routingKey = RoutingKeys.of(routing, key);
        for (Copier.Target target : targets) {
            if (target.shard().covers(routingKey)) {
                return target;
            }
        }
        throw new IllegalStateException("no target of " + operation + " covers the key " + key);
    }

    private static void flush(Map<Copier.Target, List<StoredItem>> upserts) {
        upserts.forEach((target, items) -> target.leader().applyAll(items));
        upserts.clear();
    }
}
