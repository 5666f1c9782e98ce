package dev.shardkv.core.replication;

import dev.shardkv.core.kv.StoredItem;

/**
 * One record of a leader's change stream, in domain terms.
 *
 * @param sequenceNumber the stream sequence number (the item identifier for batch failures)
 * @param kind           an upsert (insert/modify, including tombstones) or a removal
 * @param key            the item key
 * @param item           the new image, for upserts
 * @param oldVersion     the version in the old image, for removals (null when unknown)
 */
public record ChangeRecord(String sequenceNumber, Kind kind, String key, StoredItem item, Long oldVersion) {

    public enum Kind {
        /** INSERT or MODIFY: the new image is applied if it is newer than what the replica has. */
        UPSERT,
        /** A REMOVE by a principal: the replica removes the key unless it already holds a newer version. */
        REMOVE,
        /** A REMOVE by DynamoDB's TTL service: expired tombstones; each replica's own TTL removes its copy. */
        TTL_EXPIRY
    }

    public static ChangeRecord upsert(String sequenceNumber, StoredItem item) {
        return new ChangeRecord(sequenceNumber, Kind.UPSERT, item.key(), item, null);
    }

    /** The leader commit time carried by the record, or -1 when it carries none (removals). */
    public long commitTs() {
        return item == null ? -1 : item.ts();
    }
}
