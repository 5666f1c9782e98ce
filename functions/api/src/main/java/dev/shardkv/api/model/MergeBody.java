package dev.shardkv.api.model;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.reshard.MergeRequest;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /v1/admin/merges}. Its shape is checked here (a list of non-blank strings, an id that is
 * a string); whether the merge makes sense (two shards, both live, adjacent, the id free) is the planner's to say.
 */
@JsonBody.Usage(MergeBody.USAGE)
@Schema(name = "MergeRequest", description = "Merge two adjacent shards into one")
public record MergeBody(
        @Schema(required = true, minItems = 2, maxItems = 2,
                description = "The ids of two adjacent shards, in either order", example = "[\"a-f\", \"g-l\"]")
        @JsonDeserialize(contentUsing = Strict.Text.class) @JsonSetter(contentNulls = Nulls.FAIL)
        List<String> shards,
        @Schema(description = "The merged shard's id; absent: derived from the two (a-f and g-l: a-l)", example = "a-l")
        @JsonDeserialize(using = Strict.Text.class)
        String id) implements JsonBody {

    static final String USAGE = "Send {\"shards\": [\"a-f\", \"g-l\"]}, optionally with \"id\": \"a-l\".";

    public MergeBody {
        if (shards == null) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST, USAGE);
        }
        for (int i = 0; i < shards.size(); i++) {
            if (shards.get(i).isBlank()) {
                throw new ShardKvException(ProblemType.INVALID_REQUEST,
                        "shards[%d] must be a shard id; got \"%s\". %s".formatted(i, shards.get(i), USAGE),
                        Map.of("index", i));
            }
        }
    }

    public MergeRequest request() {
        return new MergeRequest(shards, id);
    }
}
