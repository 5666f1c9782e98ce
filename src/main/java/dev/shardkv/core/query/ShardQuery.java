package dev.shardkv.core.query;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one shard is asked in a scatter-gather query.
 *
 * @param after    resume after this key (a scan's per-shard cursor); null from the start
 * @param limit    SCAN: at most this many matches; TOP: the n
 * @param deadline epoch ms by which the shard must answer with what it has
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShardQuery(QueryKind kind, String prefix, Filter filter, String field, int limit, String after,
        long deadline) {
}
