package dev.shardkv.core.kv;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Values are any JSON value, stored as compact JSON text. The limit keeps every item well under
 * DynamoDB's 400 KB: 256 KiB of value + at most 1 KiB of key + a few short attributes.
 */
public final class ValueCodec {
    public static final int MAX_VALUE_BYTES = 256 * 1024;

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Keep numbers exactly as written: no float rounding, no trailing-zero stripping.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private ValueCodec() {
    }

    /** Parses a request body into compact JSON text, or refuses it with 400 / 413. */
    public static String compact(byte[] body) {
        if (body == null || body.length == 0) {
            throw new ShardKvException(ProblemType.INVALID_JSON, "The body is empty; send a JSON value.");
        }
        JsonNode node;
        try (JsonParser parser = STRICT.createParser(body)) {
            node = STRICT.readTree(parser);
        } catch (JsonProcessingException e) {
            throw new ShardKvException(ProblemType.INVALID_JSON,
                    "The body is not valid JSON: " + e.getOriginalMessage(), location(e));
        } catch (IOException e) {
            throw new ShardKvException(ProblemType.INVALID_JSON, "The body could not be read as JSON.");
        }
        if (node == null || node.isMissingNode()) {
            throw new ShardKvException(ProblemType.INVALID_JSON, "The body is empty; send a JSON value.");
        }
        String compact;
        try {
            compact = STRICT.writeValueAsString(node);
        } catch (IOException e) {
            throw new ShardKvException(ProblemType.INVALID_JSON, "The body cannot be re-encoded as JSON.");
        }
        requireUnicode(compact);
        requireWithinLimit(compact);
        return compact;
    }

    /**
     * JSON lets a string escape a lone UTF-16 surrogate ({@code "\ud800"}), but such text has no UTF-8
     * form: stored, it could never be sent back. Refused here, before anything is written.
     */
    static void requireUnicode(String compactJson) {
        int bad = unpairedSurrogate(compactJson);
        if (bad >= 0) {
            throw new ShardKvException(ProblemType.INVALID_JSON,
                    "The value holds an unpaired UTF-16 surrogate (U+%04X) at character %d; JSON text must be valid Unicode."
                            .formatted((int) compactJson.charAt(bad), bad),
                    Map.of("index", bad));
        }
    }

    /** The index of the first unpaired surrogate, or -1 when the text is valid UTF-16. */
    public static int unpairedSurrogate(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether a stored value can be sent to a client: one well-formed JSON value in valid Unicode.
     * Values ShardKV wrote always are; a value written around it (a forged or corrupted item) may not
     * be, and must be reported rather than break the answer it is part of.
     */
    public static boolean decodable(String storedValue) {
        if (storedValue == null || unpairedSurrogate(storedValue) >= 0) {
            return false;
        }
        try (JsonParser parser = STRICT.createParser(storedValue)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    public static String compact(String body) {
        return compact(body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** The length of the text in UTF-8, in bytes, without encoding it (a lone surrogate counts as one byte, as encoded). */
    public static long utf8Length(CharSequence text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    public static void requireWithinLimit(String compactJson) {
        int bytes = compactJson.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_VALUE_BYTES) {
            throw new ShardKvException(ProblemType.VALUE_TOO_LARGE,
                    "The value is %d bytes as compact JSON; the limit is %d.".formatted(bytes, MAX_VALUE_BYTES),
                    Map.of("bytes", bytes, "limit", MAX_VALUE_BYTES));
        }
    }

    private static Map<String, Object> location(JsonProcessingException e) {
        if (e.getLocation() == null) {
            return Map.of();
        }
        return Map.of("line", e.getLocation().getLineNr(), "column", e.getLocation().getColumnNr());
    }

    /** Parses a request body (strictly: one JSON value, no duplicate fields) without the value limit. */
    public static JsonNode parseBody(byte[] body) {
        if (body == null || body.length == 0) {
            throw new ShardKvException(ProblemType.INVALID_JSON, "The body is empty; send a JSON object.");
        }
        try (JsonParser parser = STRICT.createParser(body)) {
            JsonNode node = STRICT.readTree(parser);
            if (node == null || node.isMissingNode()) {
                throw new ShardKvException(ProblemType.INVALID_JSON, "The body is empty; send a JSON object.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ShardKvException(ProblemType.INVALID_JSON,
                    "The body is not valid JSON: " + e.getOriginalMessage(), location(e));
        } catch (IOException e) {
            throw new ShardKvException(ProblemType.INVALID_JSON, "The body could not be read as JSON.");
        }
    }

    /** A value node as compact JSON text, within the value limit. */
    public static String compact(JsonNode value) {
        try {
            String compact = STRICT.writeValueAsString(value);
            requireUnicode(compact);
            requireWithinLimit(compact);
            return compact;
        } catch (JsonProcessingException e) {
            throw new ShardKvException(ProblemType.INVALID_JSON, "The value cannot be encoded as JSON.");
        }
    }

    /** The value as a tree, or null when it is not {@link #decodable(String) decodable}. */
    public static JsonNode treeOrNull(String storedValue) {
        if (storedValue == null || unpairedSurrogate(storedValue) >= 0) {
            return null;
        }
        try {
            JsonNode tree = STRICT.readTree(storedValue);
            return tree == null || tree.isMissingNode() ? null : tree;
        } catch (IOException e) {
            return null;
        }
    }

    public static JsonNode tree(String compactJson) {
        try {
            return STRICT.readTree(compactJson);
        } catch (IOException e) {
            throw new IllegalStateException("stored value is not JSON", e);
        }
    }
}
