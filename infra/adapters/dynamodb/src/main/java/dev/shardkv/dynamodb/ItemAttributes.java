package dev.shardkv.dynamodb;

import dev.shardkv.core.kv.ItemVersion;
import dev.shardkv.core.kv.StoredItem;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The item layout every leader and replica table shares, and its mapping to {@link StoredItem}.
 * Values are stored as compact JSON text so that any JSON value fits and its bytes are counted.
 */
public final class ItemAttributes {
    /** The partition key attribute (string). */
    public static final String PK = "pk";
    public static final String VALUE = "value";
    public static final String VERSION = "version";
    public static final String TS = "ts";
    public static final String TOMBSTONE = "tombstone";
    /** The TTL attribute (epoch seconds), set on tombstones only. */
    public static final String EXPIRES_AT = "expiresAt";

    /** Placeholders for every expression, so that no attribute name collides with a reserved word. */
    public static final Map<String, String> NAMES = Map.of(
            "#pk", PK, "#value", VALUE, "#ver", VERSION, "#ts", TS, "#tomb", TOMBSTONE, "#exp", EXPIRES_AT);

    private ItemAttributes() {
    }

    public static Map<String, AttributeValue> key(String key) {
        return Map.of(PK, s(key));
    }

    public static Map<String, AttributeValue> toItem(StoredItem item) {
        Map<String, AttributeValue> attrs = new HashMap<>();
        attrs.put(PK, s(item.key()));
        attrs.put(VERSION, n(item.version()));
        attrs.put(TS, n(item.ts()));
        attrs.put(TOMBSTONE, AttributeValue.fromBool(item.tombstone()));
        if (item.value() != null) {
            attrs.put(VALUE, s(item.value()));
        }
        if (item.expiresAt() != null) {
            attrs.put(EXPIRES_AT, n(item.expiresAt()));
        }
        return attrs;
    }

    /** Null for an empty map (no item). */
    public static StoredItem fromItem(Map<String, AttributeValue> attrs) {
        if (attrs == null || attrs.isEmpty() || !attrs.containsKey(PK)) {
            return null;
        }
        AttributeValue value = attrs.get(VALUE);
        AttributeValue tomb = attrs.get(TOMBSTONE);
        AttributeValue exp = attrs.get(EXPIRES_AT);
        return new StoredItem(attrs.get(PK).s(),
                value == null ? null : value.s(),
                longOf(attrs.get(VERSION), 0),
                longOf(attrs.get(TS), 0),
                tomb != null && Boolean.TRUE.equals(tomb.bool()),
                exp == null ? null : Long.parseLong(exp.n()));
    }

    /** The key and version attributes of an item, as a version scan's projection reads them. */
    public static ItemVersion versionOf(Map<String, AttributeValue> attrs) {
        AttributeValue tomb = attrs.get(TOMBSTONE);
        AttributeValue exp = attrs.get(EXPIRES_AT);
        return new ItemVersion(attrs.get(PK).s(), longOf(attrs.get(VERSION), 0), longOf(attrs.get(TS), 0),
                tomb != null && Boolean.TRUE.equals(tomb.bool()), exp == null ? null : Long.parseLong(exp.n()));
    }

    public static long longOf(AttributeValue v, long orElse) {
        return v == null || v.n() == null ? orElse : Long.parseLong(v.n());
    }

    public static AttributeValue s(String s) {
        return AttributeValue.fromS(s);
    }

    public static AttributeValue n(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }

    /** The placeholders the given expressions use: DynamoDB refuses unused ones. */
    public static Map<String, String> namesIn(String... expressions) {
        Map<String, String> names = new HashMap<>();
        NAMES.forEach((placeholder, name) -> {
            for (String expression : expressions) {
                if (expression != null && java.util.regex.Pattern.compile(placeholder + "\\b").matcher(expression).find()) {
                    names.put(placeholder, name);
                }
            }
        });
        return names;
    }
}
