package dev.shardkv.embedded;

import dev.shardkv.core.assembly.Stores;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.store.ControlStore;
import dev.shardkv.core.store.LeaderStore;
import dev.shardkv.core.store.OperationStore;
import dev.shardkv.core.store.ReplicaStore;
import dev.shardkv.core.store.VerificationStore;
import dev.shardkv.core.tx.TransactionStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Stores that nudge a leader table's stream pump after every write to that table, whichever component makes it
 * (writer, coordinator, heartbeat, a reshard's copy and dual writes): with every write nudging, a pump that read
 * its stream to the end may take "no nudge since" as "nothing new since" ({@code StreamPump.Settings.idleProof}).
 * Writes to other tables pass through untouched.
 */
final class NudgingStores implements Stores {
    private final Stores inner;
    private final Consumer<String> nudge; // given a table; nudges its shard's pump if it is a running leader

    NudgingStores(Stores inner, Consumer<String> nudge) {
        this.inner = inner;
        this.nudge = nudge;
    }

    /** The methods that write a leader's table: a new write method on these interfaces belongs here. */
    private static final Set<String> LEADER_WRITES = Set.of("put", "delete");
    private static final Set<String> ITEM_WRITES = Set.of("apply", "applyAll", "remove", "replace");

    @Override
    public LeaderStore leader(String table) {
        return nudging(inner.leader(table), LeaderStore.class, table, LEADER_WRITES);
    }

    /** A replica's store, or a leader table written item by item (a reshard's copy into its targets). */
    @Override
    public ReplicaStore replica(String table) {
        return nudging(inner.replica(table), ReplicaStore.class, table, ITEM_WRITES);
    }

    /** A proxy, so that every method of the store's interfaces passes through, only the writes nudging. */
    private <T> T nudging(T store, Class<T> type, String table, Set<String> writes) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            try {
                return method.invoke(store, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                if (writes.contains(method.getName())) {
                    nudge.accept(table); // after a failure too: a timed-out write may have landed
                }
            }
        }));
    }

    @Override
    public ControlStore control(String table) {
        return inner.control(table);
    }

    @Override
    public OperationStore operations(String controlTable) {
        return inner.operations(controlTable);
    }

    @Override
    public VerificationStore verifications(String controlTable) {
        return inner.verifications(controlTable);
    }

    @Override
    public TransactionStore transactions() {
        TransactionStore tx = inner.transactions();
        return new TransactionStore() {
            @Override
            public Map<ItemRef, StoredItem> read(List<ItemRef> refs) {
                return tx.read(refs);
            }

            @Override
            public List<String> write(List<Write> writes) {
                try {
                    return tx.write(writes);
                } finally {
                    writes.stream().map(w -> w.ref().table()).distinct().forEach(nudge);
                }
            }
        };
    }
}
