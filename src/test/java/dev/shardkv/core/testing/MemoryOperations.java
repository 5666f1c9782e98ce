package dev.shardkv.core.testing;

import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.store.OperationRefusals;
import dev.shardkv.core.store.OperationStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The operations and their locks in memory, with the refusals the control table gives. */
public final class MemoryOperations implements OperationStore {
    private final Map<String, Operation> operations = new TreeMap<>();
    private final Map<String, String> locks = new TreeMap<>();
    private final Set<String> abortRequests = new HashSet<>();
    private String leaseHolder;
    private long leaseUntil;

    @Override
    public synchronized void create(Operation operation) {
        if (!operation.isActive()) {
            throw new IllegalArgumentException("operation " + operation.id() + " has ended already");
        }
        if (operation.equals(operations.get(operation.id()))) {
            return; // a retried create: it is there, with its locks
        }
        if (operations.containsKey(operation.id())) {
            throw OperationRefusals.taken(operation);
        }
        for (String shard : operation.shards()) {
            String holder = locks.get(shard);
            if (holder != null) {
                throw OperationRefusals.busy(operation, shard, holder);
            }
        }
        operations.put(operation.id(), operation);
        operation.shards().forEach(shard -> locks.put(shard, operation.id()));
    }

    @Override
    public synchronized Operation save(Operation operation) {
        Operation stored = operations.get(operation.id());
        if (stored == null || stored.version() != operation.version()) {
            throw OperationRefusals.stale(operation);
        }
        Operation saved = operation.withVersion(operation.version() + 1);
        operations.put(saved.id(), saved);
        return saved;
    }

    @Override
    public synchronized Optional<Operation> get(String id) {
        return Optional.ofNullable(operations.get(id));
    }

    @Override
    public synchronized List<Operation> list() {
        List<Operation> newest = new ArrayList<>(operations.values());
        newest.sort(Comparator.comparing(Operation::id).reversed());
        return List.copyOf(newest.subList(0, Math.min(LIST_LIMIT, newest.size())));
    }

    @Override
    public synchronized Map<String, String> locks() {
        return Map.copyOf(locks);
    }

    @Override
    public synchronized void release(Operation operation) {
        if (operation.isActive()) {
            throw OperationRefusals.stillActive(operation);
        }
        operation.shards().forEach(shard -> locks.remove(shard, operation.id()));
    }

    @Override
    public synchronized void requestAbort(String id) {
        abortRequests.add(id);
    }

    @Override
    public synchronized boolean abortRequested(String id) {
        return abortRequests.contains(id);
    }

    @Override
    public synchronized boolean lease(String holder, long nowMs, long untilMs) {
        if (leaseHolder != null && !leaseHolder.equals(holder) && leaseUntil >= nowMs) {
            return false;
        }
        leaseHolder = holder;
        leaseUntil = untilMs;
        return true;
    }

    @Override
    public synchronized void unlease(String holder) {
        if (holder.equals(leaseHolder)) {
            leaseHolder = null;
        }
    }
}
