package dev.shardkv.api;

import dev.shardkv.api.model.ReplicationResponse;
import dev.shardkv.api.model.ReplicationResponse.Load;
import dev.shardkv.api.model.ReplicationResponse.ReplicaState;
import dev.shardkv.api.model.ReplicationResponse.ShardReplication;
import dev.shardkv.api.model.ReplicationResponse.Throttle;
import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.gateway.ShardLoad;
import dev.shardkv.core.replication.ReplicationTracker;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
            + "commit-to-apply delay percentiles over the window, watermark, records applied, errors, healthy or not, "
            + "last verification (a divergent replica serves no reads); "
            + "per shard its load (rates over the last 10 s, hot or not, where to split a hot shard)")
    @APIResponse(responseCode = "200", description = "Every shard's replicas, their lag, the shard's load and its "
            + "write throttle")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "500", ref = ApiDocument.INTERNAL)
    public ReplicationResponse replication() {
        ReplicationTracker tracker = gateway.replication();
        ShardMap map = gateway.shardMap();
        Map<String, ShardLoad.Report> load = new HashMap<>();
        gateway.load().report(map).forEach(r -> load.put(r.shard(), r));
        List<ShardReplication> shards = map.shards().stream().map(s -> shard(s, tracker, load.get(s.id()))).toList();
        return new ReplicationResponse(System.currentTimeMillis(), tracker.unknownAfter().toMillis(),
                tracker.window().toMillis(), shards);
    }

    private ShardReplication shard(ShardEntry shard, ReplicationTracker tracker, ShardLoad.Report load) {
        List<ReplicaState> replicas = IntStream.rangeClosed(1, shard.replicaCount())
                .mapToObj(n -> ReplicaState.of(tracker.status(shard.id(), n), shard.replicaTable(n),
                        gateway.verifications().of(shard.replicaTable(n)).orElse(null))).toList();
        return new ShardReplication(shard.id(), shard.leader(), Load.of(gateway.load().of(shard.id()), load),
                Throttle.of(gateway.throttle().enabled(), gateway.throttle().state(shard)), replicas);
    }
}
