package dev.shardkv.core.kv;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An item as every table holds it: the key, the value as compact JSON text, a version that grows by
 * one on every change of the key and is never reused, the leader's commit time {@code ts} in epoch
 * milliseconds, and for deletions a tombstone with an expiry (epoch seconds) for DynamoDB's TTL.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredItem(String key, String value, long version, long ts, boolean tombstone, Long expiresAt) {

    public static StoredItem live(String key, String value, long version, long ts) {
        return new StoredItem(key, value, version, ts, false, null);
    }

    public static StoredItem tombstone(String key, long version, long ts, long expiresAt) {
        return new StoredItem(key, null, version, ts, true, expiresAt);
    }

    @JsonIgnore
    public boolean isLive() {
        return !tombstone;
    }
}
