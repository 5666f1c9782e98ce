package dev.shardkv.api;

import dev.shardkv.api.model.ShardsResponse;
import dev.shardkv.core.gateway.Gateway;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /v1/shards}: the shard map the gateway routes with. */
@Path("/v1/shards")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "shards", description = "The shard map")
public class ShardsResource {
    @Inject
    Gateway gateway;

    @GET
    @Operation(operationId = "shards", summary = "The shard map: epoch, routing mode, and per shard its key range and tables")
    @APIResponse(responseCode = "200", description = "The shard map")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "500", ref = ApiDocument.INTERNAL)
    public ShardsResponse shards() {
        return ShardsResponse.of(gateway.storedShardMap());
    }
}
