package dev.shardkv.core.replication;

/**
 * How far a replica has come: the leader commit time ({@code ts}, epoch ms) and stream sequence
 * number of the newest record applied to it, and when that was applied (epoch ms).
 */
public record Watermark(long ts, String sequenceNumber, long appliedAt) {

    /** The replica's lag at {@code now}: how far behind it is; writes committed after {@code ts} may be missing. */
    public long lagAt(long now) {
        return Math.max(0, now - ts);
    }

    public boolean covers(long commitTs) {
        return ts >= commitTs;
    }
}
