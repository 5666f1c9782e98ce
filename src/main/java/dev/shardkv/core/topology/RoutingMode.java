package dev.shardkv.core.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a key becomes the routing key that shard ranges split. */
public enum RoutingMode {
    /** The key folded to lower case: keeps key order, so ranges read like A–L, M–S, T–Z. */
    RANGE,
    /** A stable 64-bit hash of the key as 16 hex digits: spreads skewed key sets, gives up order. */
    HASH;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RoutingMode parse(String text) {
        for (RoutingMode mode : values()) {
            if (mode.json().equals(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("routing must be \"range\" or \"hash\", not \"" + text + "\"");
    }
}
