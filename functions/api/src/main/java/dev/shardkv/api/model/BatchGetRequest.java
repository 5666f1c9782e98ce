package dev.shardkv.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.shardkv.api.Renamed;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.gateway.ReadOptions;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /v1/kv:batchGet}.
 *
 * @param renamedMaxStalenessMs what came as {@code maxStalenessMs}, the old name of {@code maxLagMs}: only to refuse it
 */
@JsonBody.Usage(BatchGetRequest.USAGE)
@Schema(description = "Up to 100 keys, read with one consistency choice")
public record BatchGetRequest(
        @Schema(required = true, minItems = 1, maxItems = 100, description = "The keys; results come in this order")
        @JsonDeserialize(contentUsing = Strict.Text.class) @JsonSetter(contentNulls = Nulls.FAIL)
        List<String> keys,
        @Schema(enumeration = {"eventual", "bounded", "session", "strong"}, defaultValue = "eventual")
        String consistency,
        @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "3600000",
                description = "The lag bound of consistency=bounded, in milliseconds: only a replica at most this far "
                        + "behind answers")
        String maxLagMs,
        @Schema(hidden = true) @JsonProperty(Renamed.MAX_STALENESS_MS) JsonNode renamedMaxStalenessMs)
        implements JsonBody {

    static final String USAGE = "Send {\"keys\": [\"k1\", \"k2\", ...]}.";

    public BatchGetRequest {
        if (keys == null) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST, USAGE);
        }
    }

    /** The consistency choice, with the client's token for consistency=session. */
    public ReadOptions options(String token) {
        String old = renamedMaxStalenessMs == null || renamedMaxStalenessMs.isNull() ? null : renamedMaxStalenessMs.toString();
        return Renamed.readOptions(consistency, maxLagMs, token, old);
    }
}
