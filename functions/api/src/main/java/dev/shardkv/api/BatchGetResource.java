package dev.shardkv.api;

import dev.shardkv.api.model.BatchGetRequest;
import dev.shardkv.api.model.BatchGetResponse;
import dev.shardkv.core.gateway.Gateway;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /v1/kv:batchGet}: up to 100 keys, grouped by shard and read in parallel. */
@Path("/v1/kv:batchGet")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "kv", description = "Single-key reads and writes")
public class BatchGetResource {
    @Inject
    Gateway gateway;

    @POST
    @Operation(operationId = "batchGet", summary = "Read up to 100 keys in one request",
            description = "strong reads one consistent snapshot of the leaders (TransactGetItems); the others read a "
                    + "replica of each shard as a single get would. Each result says who served it.")
    @RequestBody(required = true)
    @APIResponse(responseCode = "200", description = "Per key, in request order: found or not, and who served it")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "413", ref = ApiDocument.TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ApiDocument.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "500", ref = ApiDocument.INTERNAL)
    @APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
    public BatchGetResponse batchGet(@HeaderParam(Headers.CONSISTENCY_TOKEN) String token, BatchGetRequest request) {
        return BatchGetResponse.of(gateway.batchGet(request.keys(), request.options(token)));
    }
}
