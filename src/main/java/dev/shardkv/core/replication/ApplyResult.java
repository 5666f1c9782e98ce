package dev.shardkv.core.replication;

/** What applying one record to one replica did. */
public enum ApplyResult {
    /** The replica changed. */
    APPLIED,
    /** The replica already held this version or a newer one: a duplicate, replay or late record. */
    ALREADY_APPLIED,
    /** Nothing to do on the replica (TTL expiry of a tombstone). */
    IGNORED
}
