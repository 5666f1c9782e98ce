package dev.shardkv.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.shardkv.core.gateway.QueryAnswer;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A scatter-gather answer: the items (or the count), every shard's status, and whether it is partial
 * (a shard failed or missed the deadline: named in {@code missing}, never a silent undercount).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueryResponse(
        List<ItemResponse> items,
        @Schema(description = "count only") Long count,
        List<ShardResult> shards,
        boolean partial,
        List<String> missing,
        @Schema(nullable = true, description = "scan only: pass it back for the next page; null after the last")
        @JsonInclude(JsonInclude.Include.ALWAYS) String cursor,
        long ms,
        @Schema(description = "Stored items whose value cannot be decoded: named, not sent")
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<QueryAnswer.Undecodable> undecodable) {

    public static QueryResponse of(QueryAnswer answer) {
        return new QueryResponse(answer.items().stream().map(ItemResponse::of).toList(), answer.count(),
                answer.shards().stream().map(ShardResult::of).toList(), answer.partial(), answer.missing(),
                answer.cursor(), answer.ms(), answer.undecodable());
    }

    /** @param status ok, timeout (missed the deadline) or error */
    @Schema(name = "QueryShardResult")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ShardResult(String shard, String status, long count, long ms, String servedBy) {
        static ShardResult of(QueryAnswer.ShardOutcome s) {
            return new ShardResult(s.shard(), s.status(), s.count(), s.ms(), s.servedBy());
        }
    }
}
