package dev.shardkv.core.protocol;

public enum ShardStatus {
    OK,
    NOT_FOUND,
    PRECONDITION_FAILED,
    /** The key is not this shard's under the writer's shard map (fencing by epoch). */
    WRONG_SHARD,
    /** The request was refused as invalid. */
    INVALID
}
