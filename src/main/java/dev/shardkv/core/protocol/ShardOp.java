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
    WATERMARKS,
    /** Reader (a replica) or writer (the leader, consistent): one shard's part of a scatter-gather query. */
    QUERY,
    /** Reader: several keys from one replica. Writer, coordinator: a consistent snapshot from the leader(s). */
    BATCH_GET,
    /** Writer (one shard) or coordinator (several): an atomic transaction on the leaders. */
    TX
}
