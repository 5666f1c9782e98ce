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

    /** Parses whole numbers from query text, with a clear 400 for anything else. */
    public static long number(String name, String text, long orElse) {
        if (text == null || text.isBlank()) {
            return orElse;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST, name + " must be a whole number; got \"" + text + "\".");
        }
    }

    /** What a cursor is bound to: the same query, asked again for the next page. */
    String fingerprint() {
        return kind + "|" + prefix + "|" + filter + "|" + field + "|" + limit + "|" + consistency;
    }
}
