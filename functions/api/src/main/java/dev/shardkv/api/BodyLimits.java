package dev.shardkv.api;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.kv.ValueCodec;
import java.util.Map;

/**
 * How many bytes of request body each route reads, one rule however the body arrives (with a
 * Content-Length or chunked). Values are limited as compact JSON, so a body may carry some
 * whitespace beyond the value limit; a transaction may carry up to DynamoDB's 4 MB plus punctuation.
 */
public final class BodyLimits {
    public static final long VALUE_BODY = 4L * ValueCodec.MAX_VALUE_BYTES;
    public static final long TX_BODY = 5L * 1024 * 1024;
    /** The largest of the limits: what the HTTP layer is told, so nothing bigger is ever buffered. */
    public static final long LARGEST = Math.max(VALUE_BODY, TX_BODY);

    private BodyLimits() {
    }

    /** The body limit of a request path. */
    public static long of(String path) {
        return path != null && path.startsWith("/v1/tx") ? TX_BODY : VALUE_BODY;
    }

    public static String detail(long bytes, long limit) {
        return bytes < 0
                ? "The body is over this endpoint's %d-byte limit (values: %d bytes of compact JSON)."
                        .formatted(limit, ValueCodec.MAX_VALUE_BYTES)
                : "The body is %d bytes, over this endpoint's %d-byte limit (values: %d bytes of compact JSON)."
                        .formatted(bytes, limit, ValueCodec.MAX_VALUE_BYTES);
    }

    public static Map<String, Object> fields(long limit) {
        return Map.of("limit", limit, "valueLimit", ValueCodec.MAX_VALUE_BYTES);
    }

    public static final ProblemType TYPE = ProblemType.VALUE_TOO_LARGE;
}
