package dev.shardkv.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.gateway.BatchGetResult;
import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.gateway.ReadOptions;
import dev.shardkv.core.kv.ValueCodec;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /v1/kv:batchGet}: up to 100 keys, grouped by shard and read in parallel. */
@Path("/v1/kv:batchGet")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "kv", description = "Single-key reads and writes")
public class BatchGetResource {
    @Inject
    Gateway gateway;

    @POST
    @Operation(summary = "Read up to 100 keys in one request",
            description = "Body: {\"keys\": [...], \"consistency\": \"eventual|bounded|session|strong\", \"maxStalenessMs\": N}. "
                    + "strong reads one consistent snapshot of the leaders (TransactGetItems); the others read a "
                    + "replica of each shard as a single get would. Each result says who served it.")
    public ObjectNode batchGet(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(Headers.CONSISTENCY_TOKEN) String token, byte[] body) {
        KvResource.requireJson(contentType);
        JsonNode request = ValueCodec.parseBody(body);
        JsonNode keysNode = request.get("keys");
        if (!request.isObject() || keysNode == null || !keysNode.isArray()) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST, "Send {\"keys\": [\"k1\", \"k2\", ...]}.");
        }
        List<String> keys = new ArrayList<>();
        for (JsonNode key : keysNode) {
            if (!key.isTextual()) {
                throw new ShardKvException(ProblemType.INVALID_REQUEST, "keys must be strings; got " + key + ".");
            }
            keys.add(key.textValue());
        }
        ReadOptions options = ReadOptions.parse(text(request.get("consistency")), text(request.get("maxStalenessMs")), token);
        BatchGetResult result = gateway.batchGet(keys, options);
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ArrayNode results = json.putArray("results");
        for (BatchGetResult.Entry entry : result.results()) {
            ObjectNode r = results.addObject().put("key", entry.key()).put("found", entry.item() != null);
            if (entry.undecodable()) {
                // Reported, not sent: the stored value is not valid JSON text (written around ShardKV).
                r.put("undecodable", true).put("version", entry.item().version());
            } else if (entry.item() != null) {
                r.putRawValue("value", new RawValue(entry.item().value()));
                r.put("version", entry.item().version());
            }
            r.put("shard", entry.shard()).put("servedBy", entry.servedBy());
            if (entry.stalenessMs() != null) {
                r.put("lagMs", entry.stalenessMs());
            }
        }
        return json;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
