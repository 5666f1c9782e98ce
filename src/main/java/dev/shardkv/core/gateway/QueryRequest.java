package dev.shardkv.core.gateway;

import dev.shardkv.core.consistency.Consistency;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.query.Filter;
import dev.shardkv.core.query.QueryKind;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A scatter-gather query as the client asked it, checked as a whole.
 *
 * @param limit     TOP: n; SCAN: the page size
 * @param timeoutMs the one deadline for every shard
 */
public record QueryRequest(QueryKind kind, String prefix, Filter filter, String field, int limit, String cursor,
        Consistency consistency, long timeoutMs) {
    public static final int MAX_N = 1000;
    public static final int MAX_PAGE = 1000;
    public static final int DEFAULT_PAGE = 100;
    public static final long DEFAULT_TIMEOUT_MS = 2_000;
    public static final long MAX_TIMEOUT_MS = 30_000;

    public QueryRequest {
        prefix = prefix == null ? "" : prefix;
        if (prefix.getBytes(StandardCharsets.UTF_8).length > 1024 || prefix.chars().anyMatch(Character::isISOControl)) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST,
                    "prefix must be at most 1024 bytes without control characters.");
        }
        if (consistency != Consistency.EVENTUAL && consistency != Consistency.STRONG) {
            throw new ShardKvException(ProblemType.INVALID_CONSISTENCY,
                    "queries read replicas (eventual, the default) or leaders (strong); got " + consistency.json() + ".");
        }
        if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST,
                    "timeoutMs must be 1 to " + MAX_TIMEOUT_MS + "; got " + timeoutMs + ".",
                    Map.of("limit", MAX_TIMEOUT_MS));
        }
        switch (kind) {
            case TOP -> {
                Filter.requireField(field);
                if (limit < 1 || limit > MAX_N) {
                    throw new ShardKvException(ProblemType.INVALID_REQUEST,
                            "n must be 1 to " + MAX_N + "; got " + limit + ".", Map.of("limit", MAX_N));
                }
            }
            case SCAN -> {
                if (limit < 1 || limit > MAX_PAGE) {
                    throw new ShardKvException(ProblemType.INVALID_REQUEST,
                            "limit (the page size) must be 1 to " + MAX_PAGE + "; got " + limit + ".",
                            Map.of("limit", MAX_PAGE));
                }
            }
            case COUNT -> {
            }
        }
    }

    /**
     * Parses a whole number from query text within {@code [min, max]}, with a clear 400 naming the
     * range for anything else (never a silent wrap: 4294967306 is not 10).
     */
    public static long number(String name, String text, long orElse, long min, long max) {
        if (text == null || text.isBlank()) {
            return orElse;
        }
        String trimmed = text.trim();
        boolean digits = trimmed.matches("-?[0-9]{1,19}");
        long value = 0;
        if (digits) {
            try {
                value = Long.parseLong(trimmed);
            } catch (NumberFormatException e) {
                digits = false; // beyond a long
            }
        }
        if (!digits || value < min || value > max) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST,
                    "%s must be a whole number from %d to %d; got \"%s\".".formatted(name, min, max, text),
                    Map.of("parameter", name, "minimum", min, "maximum", max));
        }
        return value;
    }

    /** What a cursor is bound to: the same query, asked again for the next page. */
    String fingerprint() {
        return kind + "|" + prefix + "|" + filter + "|" + field + "|" + limit + "|" + consistency;
    }
}
