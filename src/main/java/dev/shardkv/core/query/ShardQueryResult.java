package dev.shardkv.core.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.shardkv.core.kv.StoredItem;
import java.util.List;

/**
 * One shard's answer to a query.
 *
 * @param items       SCAN: matches in scan order; TOP: the shard's best n, highest first
 * @param count       COUNT: how many matched
 * @param last        SCAN: the key to resume after (the last item returned, or the last one examined
 *                    when the deadline or the byte budget came first); null when the shard is exhausted
 * @param complete    the shard looked at everything it was asked to (false: the deadline came first)
 * @param undecodable keys of stored items whose value is not valid JSON text (forged or corrupted):
 *                    reported, never fatal to the answer
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShardQueryResult(List<StoredItem> items, long count, String last, boolean complete,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> undecodable) {

    public ShardQueryResult {
        items = items == null ? List.of() : items;
        undecodable = undecodable == null ? List.of() : List.copyOf(undecodable);
    }

    public ShardQueryResult(List<StoredItem> items, long count, String last, boolean complete) {
        this(items, count, last, complete, List.of());
    }
}
