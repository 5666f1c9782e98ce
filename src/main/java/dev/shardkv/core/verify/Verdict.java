package dev.shardkv.core.verify;

import dev.shardkv.core.kv.ItemVersion;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.Watermark;

/** What one key's state on a replica is, against its leader's: the rule of a verification, as a pure function. */
public enum Verdict {
    /** The same version on both, or nothing (an expired tombstone counts as nothing) on both. */
    SAME,
    /** The leader has a live item or a tombstone that the replica lacks, though its watermark is past it. */
    MISSING,
    /** Another version on the replica: older though its watermark is past the leader's, or one the leader never had. */
    DIFFERENT,
    /** The replica has a key the leader has not. */
    EXTRA,
    /** The leader's item is newer than the replica's watermark: the replicator has not applied it yet. */
    IN_FLIGHT;

    /**
     * @param leader    the leader's item, read (strongly) before the watermark and the replica; null if absent
     * @param replica   the replica's item, read (strongly) after the watermark; null if absent
     * @param watermark the replica's watermark, read before the replica's item; null if it has none
     * @param marginMs  how far a commit may be behind the watermark and still be in flight (skew between writers'
     *                  clocks, records of several stream shards applied in separate batches)
     */
    public static Verdict of(StoredItem leader, StoredItem replica, Watermark watermark, long nowMs, long marginMs) {
        StoredItem l = present(leader, nowMs);
        StoredItem r = present(replica, nowMs);
        if (l == null) {
            return r == null ? SAME : EXTRA;
        }
        if (r != null && r.version() == l.version()) {
            return SAME;
        }
        if (r != null && r.version() > l.version()) {
            return DIFFERENT; // versions never go back on a leader, so the leader never had this one
        }
        boolean covered = watermark != null && l.ts() <= watermark.ts() - marginMs;
        if (!covered) {
            return IN_FLIGHT;
        }
        return r == null ? MISSING : DIFFERENT;
    }

    public boolean difference() {
        return this == MISSING || this == DIFFERENT || this == EXTRA;
    }

    private static StoredItem present(StoredItem item, long nowMs) {
        return item == null || ItemVersion.of(item).expiredAt(nowMs) ? null : item;
    }
}
