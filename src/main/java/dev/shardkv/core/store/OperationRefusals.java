package dev.shardkv.core.store;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.reshard.Operation;
import java.util.Map;

/** The refusals every {@link OperationStore} gives, worded once. */
public final class OperationRefusals {
    private OperationRefusals() {
    }

    /** 409 operation-conflict: {@code holder} runs on {@code shard}, which {@code wanted} needs. */
    public static ShardKvException busy(Operation wanted, String shard, String holder) {
        return new ShardKvException(ProblemType.OPERATION_CONFLICT,
                "Shard \"%s\" is locked by operation %s, which has not ended; one operation at a time per shard:"
                        .formatted(shard, holder) + " abort it, or wait until it is done.",
                Map.of("shard", shard, "operation", holder, "refused", wanted.id()));
    }

    /** 409 operation-conflict, when every try met a concurrent change to the locks and none named a holder. */
    public static ShardKvException contended(Operation wanted) {
        return new ShardKvException(ProblemType.OPERATION_CONFLICT,
                "The locks on %s kept changing while operation %s was created; try again."
                        .formatted(wanted.shards(), wanted.id()),
                Map.of("shards", wanted.shards(), "refused", wanted.id()));
    }

    /** 409 conflict: an operation with this id exists already. */
    public static ShardKvException taken(Operation wanted) {
        return new ShardKvException(ProblemType.CONFLICT,
                "Operation %s exists already; a new operation needs a new id.".formatted(wanted.id()),
                Map.of("operation", wanted.id()));
    }

    /** 409 conflict: the operation was saved since this copy was read. */
    public static ShardKvException stale(Operation copy) {
        return new ShardKvException(ProblemType.CONFLICT,
                "Operation %s changed since version %d was read; read it again and retry."
                        .formatted(copy.id(), copy.version()),
                Map.of("operation", copy.id(), "version", copy.version()));
    }

    /** Locks are dropped only when an operation has ended; before, they are what keeps others off its shards. */
    public static IllegalArgumentException stillActive(Operation operation) {
        return new IllegalArgumentException("operation " + operation.id() + " is " + operation.state()
                + "; its locks are released only once it has ended");
    }
}
