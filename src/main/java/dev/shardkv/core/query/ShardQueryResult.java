package dev.shardkv.core.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.shardkv.core.kv.StoredItem;
import java.util.List;

/**
 * One shard's answer to a query.
 *
 * @param items    SCAN: matches in scan order; TOP: the shard's best n, highest first
 * @param count    COUNT: how many matched
 * @param last     SCAN: the key to resume after (the last item returned, or the last one examined
 *                 when the deadline came first); null when the shard is exhausted
 * @param complete the shard looked at everything it was asked to (false: the deadline came first)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShardQueryResult(List<StoredItem> items, long count, String last, boolean complete) {
}
