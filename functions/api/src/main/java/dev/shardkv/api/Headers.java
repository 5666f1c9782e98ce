package dev.shardkv.api;

/** The HTTP headers of the API, named once. */
public final class Headers {
    /**
     * Which table answered a read: {@code <shard>/leader} or {@code <shard>/<name>}, where {@code <name>} is the
     * replica's {@code name} in {@code /v1/shards} and {@code /v1/replication} ({@code replica-<n>}).
     */
    public static final String SERVED_BY = "X-Served-By";
    /** How far behind the answer may be: the lag of the replica that served it, in milliseconds (0 from the leader). */
    public static final String REPLICA_LAG_MS = "X-Replica-Lag-Ms";
    /** The shard that took a write or served a read. */
    public static final String SHARD = "X-Shard";
    /** Returned by every write; sent back on {@code consistency=session} reads. */
    public static final String CONSISTENCY_TOKEN = "X-Consistency-Token";
    /** The consistency choice, as an alternative to the {@code consistency} query parameter. */
    public static final String CONSISTENCY = "X-Consistency";
    /** The lag bound of {@code consistency=bounded}, as an alternative to the {@code maxLagMs} query parameter. */
    public static final String MAX_LAG_MS = "X-Max-Lag-Ms";

    private Headers() {
    }
}
