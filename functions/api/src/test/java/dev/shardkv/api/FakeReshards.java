package dev.shardkv.api;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.reshard.MergeRequest;
import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.reshard.OperationIds;
import dev.shardkv.core.reshard.Reshard;
import dev.shardkv.core.reshard.ReshardPlanner;
import dev.shardkv.core.reshard.Reshards;
import dev.shardkv.core.reshard.SplitRequest;
import dev.shardkv.core.reshard.Verifications;
import dev.shardkv.core.reshard.VerifyRequest;
import dev.shardkv.core.testing.MemoryOperations;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The admin API's tests' stand-in for the reshard engine: plans with the real planner against the embedded
 * cluster's shard map and keeps the operations and their locks in a {@link MemoryOperations}, but moves no data:
 * an operation stays where it was started (copying) until a test {@link #advance advances} it. Its clock never
 * repeats a millisecond, so operation ids sort as they were created.
 */
@Singleton
public class FakeReshards implements Reshards {
    private final EmbeddedApi runtime;
    private final SplittableRandom random = new SplittableRandom(7);
    private MemoryOperations store = new MemoryOperations();
    private long last;

    FakeReshards(EmbeddedApi runtime) {
        this.runtime = runtime;
    }

    @Override
    public synchronized Operation split(SplitRequest request) {
        return start(planner().split(runtime.cluster().shardMap(), request));
    }

    @Override
    public synchronized Operation merge(MergeRequest request) {
        return start(planner().merge(runtime.cluster().shardMap(), request));
    }

    @Override
    public synchronized Operation addReplica(String shard) {
        return start(planner().addReplica(runtime.cluster().shardMap(), shard));
    }

    @Override
    public synchronized Operation removeReplica(String shard, int replica) {
        return start(planner().removeReplica(runtime.cluster().shardMap(), shard, replica));
    }

    @Override
    public synchronized Operation verify(VerifyRequest request) {
        Operation operation = Verifications.plan(runtime.cluster().shardMap(), request,
                OperationIds.next(now(), random), last);
        store.create(operation);
        return operation;
    }

    @Override
    public synchronized Operation get(String id) {
        return store.get(id).orElseThrow(() -> new ShardKvException(ProblemType.UNKNOWN_OPERATION,
                "No operation " + id + ".", Map.of("operation", id)));
    }

    @Override
    public synchronized List<Operation> list() {
        return store.list();
    }

    @Override
    public synchronized Operation abort(String id) {
        Operation aborted = store.save(get(id).abort(now()));
        store.release(aborted);
        return aborted;
    }

    /** Moves an operation to its next phase, as the engine would. */
    synchronized Operation advance(String id) {
        Operation next = store.save(get(id).advance(now()));
        if (!next.isActive()) {
            store.release(next);
        }
        return next;
    }

    /** Forgets every operation: each test starts with none. */
    synchronized void reset() {
        store = new MemoryOperations();
    }

    private ReshardPlanner planner() {
        return new ReshardPlanner(runtime.cluster().topology());
    }

    private Operation start(Reshard plan) {
        long now = now();
        Operation operation = Operation.start(OperationIds.next(now, random), plan, now);
        store.create(operation);
        return operation;
    }

    private long now() {
        last = Math.max(System.currentTimeMillis(), last + 1);
        return last;
    }
}
