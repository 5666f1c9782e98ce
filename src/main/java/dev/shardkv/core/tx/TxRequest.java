package dev.shardkv.core.tx;

import java.util.List;

/** An atomic list of operations, routed with the shard map of {@code epoch}. */
public record TxRequest(List<TxOp> operations, long epoch) {
    public TxRequest {
        operations = List.copyOf(operations);
    }
}
