package dev.shardkv.core.protocol;

/** What the gateway asks of a shard function. */
public enum ShardOp {
    /** Writer: conditional, versioned put on the leader. */
    PUT,
    /** Writer: conditional tombstone delete on the leader. */
    DELETE,
    /** Writer: strongly consistent read on the leader. Reader: read on one replica. */
    GET,
    /** Reader: the watermarks of all the shard's replicas, for lag-aware routing. */
    WATERMARKS
}
