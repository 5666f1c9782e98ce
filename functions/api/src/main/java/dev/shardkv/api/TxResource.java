package dev.shardkv.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.kv.ValueCodec;
import dev.shardkv.core.tx.TxKind;
import dev.shardkv.core.tx.TxOp;
import dev.shardkv.core.tx.TxOutcome;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /v1/tx}: an atomic list of puts, deletes and checks on keys of one or several shards.
 * On the leaders it is all or nothing and isolated (ACID); each replica shows its shard's part when
 * that shard's replicator applies it, so replicas converge shard by shard (BASE).
 */
@Path("/v1/tx")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tx", description = "Transactions on the leaders")
public class TxResource {
    @Inject
    Gateway gateway;

    @POST
    @Operation(summary = "Commit up to 100 operations atomically",
            description = "Body: {\"operations\": [{\"op\": \"put|delete|check\", \"key\": ..., \"value\": <any JSON, for put>, "
                    + "\"version\": <the version the key must have; 0: must not exist>}]}. 200 with the versions written; "
                    + "409 naming the operations whose condition failed, and nothing written.")
    public Response transact(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(Headers.CONSISTENCY_TOKEN) String token, byte[] body) {
        KvResource.requireJson(contentType);
        JsonNode request = ValueCodec.parseBody(body);
        JsonNode opsNode = request.get("operations");
        if (!request.isObject() || opsNode == null || !opsNode.isArray()) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST, "Send {\"operations\": [{\"op\": \"put\", \"key\": ..., \"value\": ...}]}.");
        }
        List<TxOp> ops = new ArrayList<>();
        int i = 0;
        for (JsonNode op : opsNode) {
            if (!op.isObject()) {
                throw new ShardKvException(ProblemType.INVALID_REQUEST, "operations[" + i + "] must be an object.");
            }
            JsonNode kind = op.get("op");
            JsonNode key = op.get("key");
            JsonNode version = op.get("version");
            if (kind == null || !kind.isTextual() || key == null || !key.isTextual()) {
                throw new ShardKvException(ProblemType.INVALID_REQUEST,
                        "operations[" + i + "] needs \"op\" (put, delete, check) and \"key\" as strings.", Map.of("index", i));
            }
            // An integer literal that fits: 18446744073709551617 must not wrap to 1, nor 1e400 become 0.
            if (version != null && !version.isNull()
                    && !(version.isIntegralNumber() && version.canConvertToLong() && version.longValue() >= 0)) {
                throw new ShardKvException(ProblemType.INVALID_REQUEST,
                        "operations[%d].version must be a whole number from 0 to %d; got %s."
                                .formatted(i, Long.MAX_VALUE, version),
                        Map.of("index", i, "minimum", 0, "maximum", Long.MAX_VALUE));
            }
            JsonNode value = op.get("value");
            ops.add(new TxOp(TxKind.parse(kind.textValue()), key.textValue(),
                    value == null ? null : ValueCodec.compact(value),
                    version == null || version.isNull() ? null : version.longValue()));
            i++;
        }
        Gateway.TxAnswer answer = gateway.transact(ops, ConsistencyToken.parse(token));
        TxOutcome outcome = answer.outcome();
        if (!outcome.committed()) {
            List<Map<String, Object>> failed = new ArrayList<>();
            for (TxOutcome.Failure f : outcome.failures()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("index", f.index());
                entry.put("op", f.op().json());
                entry.put("key", f.key());
                entry.put("reason", f.reason());
                if (f.currentVersion() != null) {
                    entry.put("currentVersion", f.currentVersion());
                }
                failed.add(entry);
            }
            String detail = failed.isEmpty() ? "The transaction did not commit: " + outcome.reason() + "."
                    : "The transaction did not commit, and nothing was written: the condition of "
                            + failed.size() + " operation(s) did not hold.";
            return Problems.response(ProblemType.CONFLICT, detail, "/v1/tx",
                    Map.of("failed", failed, "shards", answer.shards()));
        }
        ObjectNode json = JsonNodeFactory.instance.objectNode().put("committed", true);
        ArrayNode shards = json.putArray("shards");
        answer.shards().forEach(shards::add);
        ArrayNode results = json.putArray("results");
        for (TxOutcome.Result r : outcome.results()) {
            results.addObject().put("index", r.index()).put("op", r.op().json()).put("key", r.key())
                    .put("shard", r.shard()).put("version", r.version());
        }
        return Response.ok(json).header(Headers.CONSISTENCY_TOKEN, answer.token().encode()).build();
    }
}
