package dev.shardkv.core.replication;

import dev.shardkv.core.kv.StoredItem;

/**
 * The replica apply rule, as a pure function. A replica takes an incoming version only if it holds
 * nothing for the key or an older version, so duplicates, retries, replays and reordering are
 * harmless: at-least-once delivery, exactly-once effect. The DynamoDB adapter states the same rule
 * as the condition {@code attribute_not_exists(pk) OR version < :v}.
 */
public final class ApplyRule {
    private ApplyRule() {
    }

    public static boolean accepts(StoredItem current, StoredItem incoming) {
        return accepts(current == null ? null : current.version(), incoming.version());
    }

    /** The same rule on versions alone: {@code held} is null when the replica has nothing for the key. */
    public static boolean accepts(Long held, long incoming) {
        return held == null || held < incoming;
    }

    /** A principal's removal applies only if the replica has nothing newer than the removed version. */
    public static boolean acceptsRemoval(StoredItem current, Long removedVersion) {
        return current != null && (removedVersion == null || current.version() <= removedVersion);
    }

    /** Of several images of the same keys, the newest per key (the others are superseded), in first-seen order. */
    public static java.util.Map<String, StoredItem> newestPerKey(java.util.List<StoredItem> items) {
        java.util.Map<String, StoredItem> newest = new java.util.LinkedHashMap<>();
        for (StoredItem item : items) {
            newest.merge(item.key(), item, (a, b) -> b.version() > a.version() ? b : a);
        }
        return newest;
    }
}
