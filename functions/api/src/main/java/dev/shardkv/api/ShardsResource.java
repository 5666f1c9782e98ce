package dev.shardkv.api;

import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    public Map<String, Object> shards() {
        ShardMap map = gateway.shardMap();
        List<Map<String, Object>> shards = new ArrayList<>();
        for (ShardEntry shard : map.shards()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", shard.id());
            entry.put("start", shard.start());
            entry.put("end", shard.end());
            entry.put("range", "[" + (shard.start() == null ? "-inf" : "\"" + shard.start() + "\"") + ", "
                    + (shard.end() == null ? "+inf" : "\"" + shard.end() + "\"") + ")");
            entry.put("leader", shard.leader());
            List<Map<String, Object>> replicas = new ArrayList<>();
            for (int n = 1; n <= shard.replicaCount(); n++) {
                Map<String, Object> replica = new LinkedHashMap<>();
                replica.put("replica", n);
                replica.put("name", "replica-" + n);
                replica.put("table", shard.replicaTable(n));
                replicas.add(replica);
            }
            entry.put("replicas", replicas);
            shards.add(entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("epoch", map.epoch());
        body.put("routing", map.routing().json());
        body.put("shards", shards);
        return body;
    }
}
