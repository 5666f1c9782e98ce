package dev.shardkv.core.consistency;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import java.util.Locale;

/** A read's consistency choice, per request. */
public enum Consistency {
    /** Any healthy replica (lag known); the leader when none is. */
    EVENTUAL,
    /** Only a replica whose lag is known and at most {@code maxLagMs}; else the leader. */
    BOUNDED,
    /** Only a replica whose watermark covers the client's consistency token; else the leader. */
    SESSION,
    /** The leader, with a consistent read. */
    STRONG;

    public static Consistency parse(String text) {
        if (text == null || text.isBlank()) {
            return EVENTUAL;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ShardKvException(ProblemType.INVALID_CONSISTENCY,
                    "consistency must be one of eventual, bounded, session, strong; got \"" + text + "\".");
        }
    }

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
