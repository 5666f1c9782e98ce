package dev.shardkv.core.kv;

/**
 * An item without its value: enough to tell whether two tables hold the same version of a key, at a
 * fraction of the bytes a full item costs to read.
 */
public record ItemVersion(String key, long version, long ts, boolean tombstone, Long expiresAt) {

    public static ItemVersion of(StoredItem item) {
        return new ItemVersion(item.key(), item.version(), item.ts(), item.tombstone(), item.expiresAt());
    }

    /** A tombstone past its expiry: each table's TTL removes its own copy at its own time, so it is as good as gone. */
    public boolean expiredAt(long nowMs) {
        return tombstone && expiresAt != null && expiresAt * 1000 <= nowMs;
    }
}
