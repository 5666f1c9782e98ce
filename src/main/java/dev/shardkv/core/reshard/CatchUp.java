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
 * by the apply rule, so that records the copy already holds change nothing and the copy and the catch-up
 * can run at once, in any order. It notes when it meets the record of the operation's own freeze.
 *
 * <p>Records after the freeze are applied too: with several stream shards, a record read after the
 * freeze's may have committed before it (the order holds per key only). One that did commit after it
 * was never acknowledged (the writer reads the fence after committing and answers write-in-doubt);
 * applying it is harmless, since the catch-up stops before the new map is published, before the targets
 * take any write of their own.
 *
 * <p>Records committed well before the operation started ({@code skipBefore}) are not applied: the copy,
 * which starts after, reads them or newer. The margin in it covers the writers' clock skew.
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
    private final long skipBefore;
    private long expectedFreeze = Long.MAX_VALUE;
    private long lastFreeze = -1;
    private long lastCommitTs = -1;

    public CatchUp(String operation, RoutingMode routing, List<Copier.Target> targets) {
        this(operation, routing, targets, Long.MIN_VALUE);
    }

    /** @param skipBefore upserts committed before this time (epoch ms) are left to the copy */
    public CatchUp(String operation, RoutingMode routing, List<Copier.Target> targets, long skipBefore) {
        this.operation = operation;
        this.routing = routing;
        this.targets = List.copyOf(targets);
        this.skipBefore = skipBefore;
    }

    /** Applies a batch of the source's records, in stream order. */
    public synchronized Result apply(List<ChangeRecord> records) {
        Map<Copier.Target, List<StoredItem>> upserts = new LinkedHashMap<>();
        int applied = 0;
        for (ChangeRecord record : records) {
            if (isOurFreeze(record)) {
                lastFreeze = Math.max(lastFreeze, record.item().version());
            } else if (record.kind() == ChangeRecord.Kind.UPSERT && record.commitTs() < skipBefore) {
                continue; // the copy reads it, or a newer version
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
        return new Result(applied, reachedFence(), lastCommitTs);
    }

    /**
     * The freeze to wait for: the version of the fence item it wrote. An earlier freeze of the same
     * operation (a cutover tried before, then the source opened again) does not count.
     */
    public synchronized void expectFreeze(long fenceVersion) {
        expectedFreeze = fenceVersion;
    }

    /** Whether the expected freeze has been read. */
    public synchronized boolean reachedFence() {
        return lastFreeze >= expectedFreeze;
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
