package dev.shardkv.core.store;

import dev.shardkv.core.reshard.Operation;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The splits and merges, kept in the control table, and the locks that let one operation at a time
 * touch a shard: each running operation holds one lock per shard it retires or creates.
 */
public interface OperationStore {
    /** How many operations {@link #list} returns at most. */
    int LIST_LIMIT = 100;

    /**
     * Stores a new operation and takes a lock on each of its {@link Operation#shards}, all or nothing.
     * Refused with 409 operation-conflict naming the shard and the holder when another operation holds
     * one of them, and with 409 conflict when another operation has the id. Creating the same operation
     * again (a retry whose answer was lost) changes nothing and is not refused.
     */
    void create(Operation operation);

    /**
     * Stores the operation over the version it was read at and returns it at the next version: the copy
     * to save next time. Refused with 409 conflict when it was saved meanwhile; read it again and retry.
     */
    Operation save(Operation operation);

    Optional<Operation> get(String id);

    /** The newest operations first, at most {@link #LIST_LIMIT}. */
    List<Operation> list();

    /** Every lock: shard id to the id of the operation that holds it. */
    Map<String, String> locks();

    /**
     * Drops the operation's locks once it has ended (done, failed or aborted); a lock another operation
     * holds now is left alone, so releasing twice is harmless.
     */
    void release(Operation operation);

    /**
     * Asks whoever runs the operation to abort it: a runner in another process (the resharder function
     * on AWS) reads the request at its next save ({@link #abortRequested}).
     */
    void requestAbort(String id);

    boolean abortRequested(String id);

    /**
     * Takes the runner lease (one runner of operations at a time) for {@code holder} until {@code untilMs},
     * unless another holder's lease is still running at {@code nowMs}. Whether it was taken. Taking it
     * again as the same holder extends it.
     */
    boolean lease(String holder, long nowMs, long untilMs);

    /** Gives the lease back, if {@code holder} still has it. */
    void unlease(String holder);
}
