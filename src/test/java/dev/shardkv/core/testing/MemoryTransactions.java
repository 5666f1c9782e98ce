package dev.shardkv.core.testing;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.tx.TransactionStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Atomic reads and writes over in-memory leader tables, found by table name. */
public final class MemoryTransactions implements TransactionStore {
    private final Map<String, MemoryLeader> tables = new LinkedHashMap<>();

    public MemoryTransactions(MemoryLeader... leaders) {
        for (MemoryLeader leader : leaders) {
            tables.put(leader.table(), leader);
        }
    }

    @Override
    public synchronized Map<ItemRef, StoredItem> read(List<ItemRef> refs) {
        Map<ItemRef, StoredItem> found = new LinkedHashMap<>();
        for (ItemRef ref : refs) {
            table(ref).get(ref.key()).ifPresent(item -> found.put(ref, item));
        }
        return found;
    }

    @Override
    public synchronized List<String> write(List<Write> writes) {
        List<String> reasons = new ArrayList<>();
        boolean failed = false;
        for (Write write : writes) {
            StoredItem current = table(write.ref()).get(write.ref().key()).orElse(null);
            boolean holds = write.expectedVersion() == null ? current == null
                    : current != null && current.version() == write.expectedVersion();
            reasons.add(holds ? "None" : CONDITION_FAILED);
            failed |= !holds;
        }
        if (failed) {
            return reasons;
        }
        for (Write write : writes) {
            if (write.newState() != null) {
                table(write.ref()).seed(write.newState());
            }
        }
        return List.of();
    }

    private MemoryLeader table(ItemRef ref) {
        MemoryLeader table = tables.get(ref.table());
        if (table == null) {
            throw new IllegalArgumentException("no table " + ref.table());
        }
        return table;
    }
}
