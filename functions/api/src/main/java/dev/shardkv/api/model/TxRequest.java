package dev.shardkv.api.model;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.ValueCodec;
import dev.shardkv.core.tx.TxKind;
import dev.shardkv.core.tx.TxOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /v1/tx}: the operations, committed all together or not at all. */
@JsonBody.Usage(TxRequest.USAGE)
@Schema(name = "TxRequest", description = "Up to 100 operations on keys of one or several shards")
public record TxRequest(
        @Schema(required = true, minItems = 1, maxItems = 100)
        @JsonSetter(contentNulls = Nulls.FAIL)
        List<Operation> operations) implements JsonBody {

    static final String USAGE = "Send {\"operations\": [{\"op\": \"put\", \"key\": ..., \"value\": ...}]}.";

    public TxRequest {
        if (operations == null) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST, USAGE);
        }
    }

    /** The operations as the gateway takes them, in order; a put's value as compact JSON within the value limit. */
    public List<TxOp> ops() {
        List<TxOp> ops = new ArrayList<>(operations.size());
        for (int i = 0; i < operations.size(); i++) {
            ops.add(operations.get(i).op(i));
        }
        return ops;
    }

    /**
     * One operation.
     *
     * @param version the condition: the version the key must have (0: must not exist); none: unconditional
     */
    @Schema(name = "TxOperation")
    public record Operation(
            @Schema(required = true, enumeration = {"put", "delete", "check"})
            TxKind op,
            @Schema(required = true)
            @JsonDeserialize(using = Strict.Text.class)
            String key,
            @Schema(implementation = Object.class, description = "For put: the value, any JSON value")
            JsonNode value,
            @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0",
                    description = "The version the key must have; 0: the key must not exist")
            @JsonDeserialize(using = Strict.Version.class)
            Long version) {

        TxOp op(int index) {
            if (op == null || key == null) {
                throw new ShardKvException(ProblemType.INVALID_REQUEST,
                        "operations[" + index + "] needs \"op\" (put, delete, check) and \"key\" as strings.",
                        Map.of("index", index));
            }
            return new TxOp(op, key, value == null ? null : ValueCodec.compact(value), version);
        }
    }
}
