package dev.shardkv.api;

import dev.shardkv.api.model.ShardsResponse;
import dev.shardkv.core.gateway.Gateway;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /v1/shards}: the shard map the gateway routes with. */
@Path("/v1/shards")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "shards", description = "The shard map")
public class ShardsResource {
    @Inject
    Gateway gateway;

    @GET
    @Operation(summary = "The shard map: epoch, routing mode, and per shard its key range and tables")
    public ShardsResponse shards() {
        return ShardsResponse.of(gateway.shardMap());
    }
}
