package dev.shardkv.core.kv;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What a client key may be, checked at the edge before anything is routed or written. */
public final class Keys {
    public static final int MAX_KEY_BYTES = 1024;
    /** Keys under this prefix belong to ShardKV itself (heartbeats, watermarks, the fence) and are never served. */
    public static final String RESERVED_PREFIX = "__shardkv";
    public static final String HEARTBEAT_KEY = RESERVED_PREFIX + ":heartbeat";
    public static final String WATERMARK_KEY = RESERVED_PREFIX + ":watermark";
    /** On a leader: whether the shard takes writes, or is frozen for a reshard (see core.shard.Fence). */
    public static final String FENCE_KEY = RESERVED_PREFIX + ":fence";

    private Keys() {
    }

    /**
     * The key a request path names: exactly the percent-decoded UTF-8 of the raw path text after
     * {@code /v1/kv/}. Nothing is dropped ({@code ;x=1} is part of the key) and nothing is guessed:
     * a bad escape or bytes that are not UTF-8 (such as {@code %FF}) are refused, never turned into
     * U+FFFD, so two different paths can never name one key. Raw non-ASCII characters arrive as the
     * bytes the client sent (the HTTP layer reads the request line as ISO-8859-1) and are decoded as
     * UTF-8 too.
     */
    public static String fromPath(String rawPath) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%') {
                int hi = i + 2 < rawPath.length() ? Character.digit(rawPath.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(rawPath.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw new ShardKvException(ProblemType.INVALID_KEY,
                            "The key's path has a bad percent-escape at index %d: %% must be followed by two hex digits."
                                    .formatted(i), Map.of("index", i));
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c > 0xFF) {
                throw new ShardKvException(ProblemType.INVALID_KEY,
                        "The key's path must be percent-encoded UTF-8.", Map.of("index", i));
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ShardKvException(ProblemType.INVALID_KEY,
                    "The key is not valid UTF-8 once percent-decoded (e.g. %FF); percent-encode the key's UTF-8 bytes.");
        }
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
