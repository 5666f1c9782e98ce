package dev.shardkv.core.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.shardkv.core.kv.StoredItem;
import java.util.List;

/**
 * A scatter-gather answer: the merged items (or count), every shard's status, and whether it is
 * partial (some shard failed or missed the deadline: never a silent undercount). Stored items whose
 * value cannot be decoded are named in {@code undecodable} instead of failing the answer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueryAnswer(List<StoredItem> items, Long count, List<ShardOutcome> shards, boolean partial,
        List<String> missing, String cursor, long ms, List<Undecodable> undecodable) {

    public QueryAnswer {
        undecodable = undecodable == null ? List.of() : List.copyOf(undecodable);
    }

    /** @param status ok, timeout (missed the deadline) or error */
    public record ShardOutcome(String shard, String status, long count, long ms, String servedBy) {
    }

    /** A stored item that could not be decoded: which key, on which shard, read from where. */
    public record Undecodable(String key, String shard, String servedBy) {
    }
}
