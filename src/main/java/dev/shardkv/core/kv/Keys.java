package dev.shardkv.core.kv;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What a client key may be, checked at the edge before anything is routed or written. */
public final class Keys {
    public static final int MAX_KEY_BYTES = 1024;
    /** Keys under this prefix belong to ShardKV itself (heartbeats, watermarks) and are never served. */
    public static final String RESERVED_PREFIX = "__shardkv";
    public static final String HEARTBEAT_KEY = RESERVED_PREFIX + ":heartbeat";
    public static final String WATERMARK_KEY = RESERVED_PREFIX + ":watermark";

    private Keys() {
    }

    public static boolean isReserved(String key) {
        return key.startsWith(RESERVED_PREFIX);
    }

    /** Refuses an empty, over-long, control-character, malformed or reserved key. */
    public static String requireClientKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new ShardKvException(ProblemType.INVALID_KEY, "The key must not be empty.");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                throw new ShardKvException(ProblemType.INVALID_KEY,
                        "The key must not contain control characters (found U+%04X at index %d).".formatted((int) c, i),
                        Map.of("index", i));
            }
            if (Character.isHighSurrogate(c) && (i + 1 == key.length() || !Character.isLowSurrogate(key.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(key.charAt(i - 1)))) {
                throw new ShardKvException(ProblemType.INVALID_KEY,
                        "The key is not valid Unicode (unpaired surrogate at index %d).".formatted(i), Map.of("index", i));
            }
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new ShardKvException(ProblemType.INVALID_KEY,
                    "The key is %d bytes in UTF-8; the limit is %d.".formatted(bytes, MAX_KEY_BYTES),
                    Map.of("bytes", bytes, "limit", MAX_KEY_BYTES));
        }
        if (isReserved(key)) {
            throw new ShardKvException(ProblemType.RESERVED_KEY,
                    "Keys starting with \"" + RESERVED_PREFIX + "\" are reserved for ShardKV's own records.",
                    Map.of("prefix", RESERVED_PREFIX));
        }
        return key;
    }
}
