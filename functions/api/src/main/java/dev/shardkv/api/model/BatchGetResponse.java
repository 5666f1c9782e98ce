package dev.shardkv.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.shardkv.core.gateway.BatchGetResult;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of {@code POST /v1/kv:batchGet}: per requested key, in request order, what was found and who served it. */
public record BatchGetResponse(List<Result> results) {

    public static BatchGetResponse of(BatchGetResult result) {
        return new BatchGetResponse(result.results().stream().map(Result::of).toList());
    }

    /**
     * One key's result.
     *
     * @param undecodable the stored value is not valid JSON text (written around ShardKV): reported, not sent
     */
    @Schema(name = "BatchGetResult")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(
            String key,
            boolean found,
            Boolean undecodable,
            @Schema(implementation = Object.class, description = "The value when found: any JSON value")
            @JsonRawValue String value,
            Long version,
            String shard,
            @Schema(description = "<shard>/leader or <shard>/<name>, a replica's name as in /v1/shards (replica-<n>)")
            String servedBy,
            @Schema(description = "How far behind the answer may be (the serving replica's lag), in milliseconds; "
                    + "0 from the leader") Long lagMs) {

        static Result of(BatchGetResult.Entry entry) {
            boolean found = entry.item() != null;
            boolean undecodable = entry.undecodable();
            return new Result(entry.key(), found, undecodable ? Boolean.TRUE : null,
                    found && !undecodable ? entry.item().value() : null, found ? entry.item().version() : null,
                    entry.shard(), entry.servedBy(), entry.lagMs());
        }
    }
}
