package dev.shardkv.api.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.reshard.VerifyRequest;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /v1/admin/verifications}: both fields optional (every shard, no repair). Whether the
 * shard exists is the engine's to say.
 */
@JsonBody.Usage(VerifyBody.USAGE)
@Schema(name = "VerifyRequest", description = "Compare replicas with their leaders, and repair what differs if asked")
public record VerifyBody(
        @Schema(description = "The id of the shard whose replicas to compare; absent: every shard", example = "a-l")
        @JsonDeserialize(using = Strict.Text.class)
        String shard,
        @Schema(description = "Write the leader's item over each difference (or remove a key the leader has not), "
                + "conditioned on the state found; absent: false", example = "false")
        @JsonDeserialize(using = Strict.Flag.class)
        Boolean repair) implements JsonBody {

    static final String USAGE = "Send {\"shard\": \"a-l\", \"repair\": false}; both are optional (every shard, no repair).";

    public VerifyBody {
        if (shard != null && shard.isBlank()) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST,
                    "\"shard\" must name a shard, or be left out for every shard; got \"" + shard + "\". " + USAGE);
        }
    }

    public VerifyRequest request() {
        return new VerifyRequest(shard, repair);
    }
}
