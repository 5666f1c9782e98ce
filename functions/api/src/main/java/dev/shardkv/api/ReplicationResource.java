package dev.shardkv.api;

import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.replication.ReplicaLag;
import dev.shardkv.core.replication.ReplicationTracker;
import dev.shardkv.core.topology.ShardEntry;
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

/** {@code /v1/replication}: how far behind each replica is, right now and over the window. */
@Path("/v1/replication")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "replication", description = "Replication lag per shard and replica")
public class ReplicationResource {
    @Inject
    Gateway gateway;

    @GET
    @Operation(summary = "Per shard and replica: current lag (null = unknown), lag percentiles over the window, "
            + "watermark, records applied, errors, healthy or not")
    public Map<String, Object> replication() {
        ReplicationTracker tracker = gateway.replication();
        List<Map<String, Object>> shards = new ArrayList<>();
        for (ShardEntry shard : gateway.shardMap().shards()) {
            List<Map<String, Object>> replicas = new ArrayList<>();
            for (int n = 1; n <= shard.replicaCount(); n++) {
                replicas.add(describe(tracker.lag(shard.id(), n), shard.replicaTable(n)));
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("shard", shard.id());
            entry.put("leader", shard.leader());
            var load = gateway.load().of(shard.id());
            entry.put("load", Map.of("reads", load.reads(), "writes", load.writes(), "throttles", load.throttles()));
            var throttle = gateway.throttle().state(shard);
            Map<String, Object> writeThrottle = new LinkedHashMap<>();
            writeThrottle.put("enabled", gateway.throttle().enabled());
            writeThrottle.put("active", throttle.active());
            writeThrottle.put("maxLagMs", throttle.maxLagMs());
            writeThrottle.put("lagMs", throttle.lagMs());
            writeThrottle.put("rejected", throttle.rejected());
            entry.put("writeThrottle", writeThrottle);
            entry.put("replicas", replicas);
            shards.add(entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", System.currentTimeMillis());
        body.put("unknownAfterMs", tracker.unknownAfter().toMillis());
        // lagMs: how stale each replica may be now. window: per-record commit-to-apply lag over windowMs.
        body.put("windowMs", tracker.window().toMillis());
        body.put("shards", shards);
        return body;
    }

    static Map<String, Object> describe(ReplicaLag lag, String table) {
        Map<String, Object> replica = new LinkedHashMap<>();
        replica.put("replica", "replica-" + lag.replica());
        replica.put("table", table);
        replica.put("lagMs", lag.stalenessMs().isPresent() ? lag.stalenessMs().getAsLong() : null);
        replica.put("healthy", lag.healthy());
        replica.put("heartbeatAgeMs", lag.heartbeatAgeMs().isPresent() ? lag.heartbeatAgeMs().getAsLong() : null);
        Map<String, Object> window = new LinkedHashMap<>();
        window.put("samples", lag.samples());
        window.put("p50", lag.p50());
        window.put("p90", lag.p90());
        window.put("p99", lag.p99());
        window.put("max", lag.max());
        replica.put("window", window);
        replica.put("watermark", lag.watermark());
        replica.put("applied", lag.applied());
        replica.put("alreadyApplied", lag.alreadyApplied());
        replica.put("errors", lag.errors());
        return replica;
    }
}
