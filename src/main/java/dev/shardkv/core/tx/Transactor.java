package dev.shardkv.core.tx;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.store.Fence;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.ShardMapSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Commits a transaction on the leaders, all or nothing. It reads a consistent snapshot of every key
 * (TransactGetItems), checks the client's conditions against it, then writes every item in one
 * TransactWriteItems conditioned on each item still having its snapshot version. So versions advance
 * exactly by one, as single writes do, and nothing half-written is ever visible on a leader. A write
 * that lost a race is retried from a fresh snapshot. The fence of every leader it touches is in the
 * snapshot and checked at the commit, so it never commits on a shard frozen for a reshard.
 */
public final class Transactor {
    static final int ATTEMPTS = 6;
    /** DynamoDB's limit on the items of one transaction, fence checks included. */
    static final int MAX_ITEMS = 100;
    private final ShardMapSource maps;
    private final TransactionStore store;
    private final Clock clock;
    private final Duration tombstoneTtl;
    private final Predicate<String> mayWrite;

    /** @param mayWrite which shards this transactor may write (a writer: its own; the coordinator: all) */
    public Transactor(ShardMapSource maps, TransactionStore store, Clock clock, Duration tombstoneTtl,
            Predicate<String> mayWrite) {
        this.maps = maps;
        this.store = store;
        this.clock = clock;
        this.tombstoneTtl = tombstoneTtl;
        this.mayWrite = mayWrite;
    }

    public TxOutcome execute(TxRequest request) {
        List<TxOp> ops = request.operations();
        ShardMap map = maps.atLeast(request.epoch());
        List<TransactionStore.ItemRef> refs = new ArrayList<>();
        List<String> shards = new ArrayList<>();
        for (TxOp op : ops) {
            Keys.requireClientKey(op.key());
            String shard = map.route(op.key()).id();
            if (!mayWrite.test(shard)) {
                throw new ShardKvException(ProblemType.WRONG_SHARD,
                        "wrong shard, epoch " + map.epoch() + ": " + op.key() + " belongs to shard " + shard);
            }
            shards.add(shard);
            refs.add(new TransactionStore.ItemRef(map.shard(shard).orElseThrow().leader(), op.key()));
        }
        List<TransactionStore.ItemRef> fences = fencesWithin(refs);
        List<TransactionStore.ItemRef> all = new ArrayList<>(refs);
        all.addAll(fences);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Map<TransactionStore.ItemRef, StoredItem> snapshot = store.read(all);
            requireOpen(fences, snapshot);
            List<TxOutcome.Failure> failures = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                String reason = violation(ops.get(i), snapshot.get(refs.get(i)));
                if (reason != null) {
                    StoredItem current = snapshot.get(refs.get(i));
                    failures.add(new TxOutcome.Failure(i, ops.get(i).op(), ops.get(i).key(), reason,
                            current == null || !current.isLive() ? null : current.version()));
                }
            }
            if (!failures.isEmpty()) {
                return TxOutcome.failed(failures, "a condition did not hold, so nothing was written", map.epoch());
            }
            long commitTs = clock.millis();
            List<TransactionStore.Write> writes = new ArrayList<>();
            List<TxOutcome.Result> results = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                TxOp op = ops.get(i);
                StoredItem current = snapshot.get(refs.get(i));
                long next = (current == null ? 0 : current.version()) + 1;
                StoredItem after = switch (op.op()) {
                    case PUT -> StoredItem.live(op.key(), op.value(), next, commitTs);
                    case DELETE -> StoredItem.tombstone(op.key(), next, commitTs, (commitTs + tombstoneTtl.toMillis()) / 1000);
                    case CHECK -> null;
                };
                writes.add(new TransactionStore.Write(refs.get(i), after, current == null ? null : current.version()));
                results.add(new TxOutcome.Result(i, op.op(), op.key(), shards.get(i),
                        after == null ? current.version() : after.version()));
            }
            for (TransactionStore.ItemRef fence : fences) { // a freeze since the snapshot cancels the commit
                StoredItem seen = snapshot.get(fence);
                writes.add(new TransactionStore.Write(fence, null, seen == null ? null : seen.version()));
            }
            List<String> reasons = store.write(writes);
            if (reasons.isEmpty()) {
                return TxOutcome.committed(commitTs, results, map.epoch());
            }
            // Someone changed an item since the snapshot, or another transaction held it: try again.
            backoff(attempt);
        }
        return TxOutcome.failed(List.of(), "other writes to the same keys kept getting in the way; retry", map.epoch());
    }

    /**
     * The fence item of every leader the items live on. A transaction reads them in its snapshot and commits
     * only if none changed, so it never commits on a shard frozen for a reshard (DynamoDB's own check); a
     * strong batch read reads them after its snapshot and answers only if all are still open.
     */
    public static List<TransactionStore.ItemRef> fences(List<TransactionStore.ItemRef> refs) {
        return refs.stream().map(TransactionStore.ItemRef::table).distinct()
                .map(table -> new TransactionStore.ItemRef(table, Keys.FENCE_KEY)).toList();
    }

    /** The fences to commit with: one per leader, within DynamoDB's items per transaction. */
    private static List<TransactionStore.ItemRef> fencesWithin(List<TransactionStore.ItemRef> refs) {
        List<TransactionStore.ItemRef> fences = fences(refs);
        if (refs.size() + fences.size() > MAX_ITEMS) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST, ("The transaction has %d operations on %d shards; "
                    + "with one fence check per shard that is over DynamoDB's %d items in one transaction.")
                    .formatted(refs.size(), fences.size(), MAX_ITEMS), Map.of("limit", MAX_ITEMS - fences.size()));
        }
        return fences;
    }

    /** Refuses when a leader is frozen: its new owners take the transaction once the shard map moves. */
    public static void requireOpen(List<TransactionStore.ItemRef> fences, Map<TransactionStore.ItemRef, StoredItem> read) {
        for (TransactionStore.ItemRef fence : fences) {
            if (Fence.of(Optional.ofNullable(read.get(fence))).frozen()) {
                throw new ShardKvException(ProblemType.SHARD_FROZEN, "the leader " + fence.table() + " is frozen for a reshard");
            }
        }
    }

    /** Why an operation's condition does not hold on the current item, or null when it does. */
    static String violation(TxOp op, StoredItem current) {
        boolean live = current != null && current.isLive();
        Long expected = op.version();
        return switch (op.op()) {
            case PUT, CHECK -> {
                if (expected == null) {
                    yield null;
                }
                if (expected == 0) {
                    yield live ? "the key exists (version " + current.version() + ")" : null;
                }
                yield !live ? "the key does not exist"
                        : current.version() != expected ? "the key is at version " + current.version() : null;
            }
            case DELETE -> {
                if (!live) {
                    yield "the key does not exist";
                }
                yield expected != null && current.version() != expected
                        ? "the key is at version " + current.version() : null;
            }
        };
    }

    private static void backoff(int attempt) {
        try {
            Thread.sleep(Math.min(200, (long) (5 * Math.pow(2, attempt) * (0.5 + Math.random()))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
