package dev.shardkv.api;

import dev.shardkv.api.model.ReplicationResponse;
import dev.shardkv.api.model.ReplicationResponse.Load;
import dev.shardkv.api.model.ReplicationResponse.ReplicaState;
import dev.shardkv.api.model.ReplicationResponse.ShardReplication;
import dev.shardkv.api.model.ReplicationResponse.Throttle;
import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.replication.ReplicationTracker;
import dev.shardkv.core.topology.ShardEntry;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.stream.IntStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /v1/replication}: how far behind each replica is now (lag), and its commit-to-apply delay over the window. */
@Path("/v1/replication")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "replication", description = "Replication lag and delay per shard and replica")
public class ReplicationResource {
    @Inject
    Gateway gateway;

    @GET
    @Operation(operationId = "replication", summary = "Per shard and replica: lag now (null = unknown), "
            + "commit-to-apply delay percentiles over the window, watermark, records applied, errors, healthy or not")
    @APIResponse(responseCode = "200", description = "Every shard's replicas, their lag, and the shard's write throttle")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "500", ref = ApiDocument.INTERNAL)
    public ReplicationResponse replication() {
        ReplicationTracker tracker = gateway.replication();
        List<ShardReplication> shards = gateway.shardMap().shards().stream().map(s -> shard(s, tracker)).toList();
        return new ReplicationResponse(System.currentTimeMillis(), tracker.unknownAfter().toMillis(),
                tracker.window().toMillis(), shards);
    }

    private ShardReplication shard(ShardEntry shard, ReplicationTracker tracker) {
        List<ReplicaState> replicas = IntStream.rangeClosed(1, shard.replicaCount())
                .mapToObj(n -> ReplicaState.of(tracker.status(shard.id(), n), shard.replicaTable(n))).toList();
        return new ShardReplication(shard.id(), shard.leader(), Load.of(gateway.load().of(shard.id())),
                Throttle.of(gateway.throttle().enabled(), gateway.throttle().state(shard)), replicas);
    }
}
