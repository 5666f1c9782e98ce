package dev.shardkv.core.protocol;

public enum ShardStatus {
    OK,
    NOT_FOUND,
    PRECONDITION_FAILED,
    /** The key is not this shard's under the writer's shard map (fencing by epoch). */
    WRONG_SHARD,
    /** The request was refused as invalid. */
    INVALID,
    /** The shard's leader is frozen for a reshard: nothing was done; the shard map is about to move. */
    FROZEN,
    /** The write committed as the shard froze for a reshard: it may not outlive the cutover. */
    IN_DOUBT
}
