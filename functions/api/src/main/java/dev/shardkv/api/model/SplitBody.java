package dev.shardkv.api.model;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.reshard.SplitRequest;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /v1/admin/splits}. Its shape is checked here (strings are JSON strings, {@code shard}
 * is given); whether the split makes sense (the shard exists, {@code at} lies inside it, the ids are free) is the
 * planner's to say.
 */
@JsonBody.Usage(SplitBody.USAGE)
@Schema(name = "SplitRequest", description = "Split one shard in two at a routing key")
public record SplitBody(
        @Schema(required = true, description = "The id of the shard to split", example = "a-l")
        @JsonDeserialize(using = Strict.Text.class)
        String shard,
        @Schema(description = "The first routing key of the right half, strictly inside the shard. Range routing: "
                + "a lower-case key, required. Hash routing: up to 16 hex digits; absent: the middle of the shard's "
                + "hash range", example = "g")
        @JsonDeserialize(using = Strict.Text.class)
        String at,
        @Schema(minItems = 2, maxItems = 2, description = "The halves' ids, left then right; absent: derived from "
                + "the shard's id and the split point (a-l at g: a-f, g-l)", example = "[\"a-f\", \"g-l\"]")
        @JsonDeserialize(contentUsing = Strict.Text.class) @JsonSetter(contentNulls = Nulls.FAIL)
        List<String> ids) implements JsonBody {

    static final String USAGE = "Send {\"shard\": \"a-l\", \"at\": \"g\"}, optionally with \"ids\": [\"a-f\", \"g-l\"]"
            + " (under hash routing \"at\" is up to 16 hex digits, or absent for the middle of the shard).";

    public SplitBody {
        if (shard == null) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST, USAGE);
        }
        if (shard.isBlank()) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST,
                    "\"shard\" must name the shard to split; got \"" + shard + "\". " + USAGE);
        }
    }

    public SplitRequest request() {
        return new SplitRequest(shard, at, ids);
    }
}
