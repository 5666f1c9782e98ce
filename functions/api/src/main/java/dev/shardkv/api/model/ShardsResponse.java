package dev.shardkv.api.model;

import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import java.util.List;
import java.util.stream.IntStream;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The shard map the gateway routes with: its epoch, routing mode, and per shard its key range and tables. */
public record ShardsResponse(long epoch, String routing, List<ShardRange> shards) {

    public static ShardsResponse of(ShardMap map) {
        return new ShardsResponse(map.epoch(), map.routing().json(), map.shards().stream().map(ShardRange::of).toList());
    }

    /**
     * @param start the shard's first routing key; null: unbounded
     * @param end   the first routing key after the shard; null: unbounded
     */
    public record ShardRange(String id, @Schema(nullable = true) String start, @Schema(nullable = true) String end,
            String range, String leader,
            List<ReplicaTable> replicas) {
        static ShardRange of(ShardEntry shard) {
            String range = "[" + (shard.start() == null ? "-inf" : "\"" + shard.start() + "\"") + ", "
                    + (shard.end() == null ? "+inf" : "\"" + shard.end() + "\"") + ")";
            List<ReplicaTable> replicas = IntStream.rangeClosed(1, shard.replicaCount())
                    .mapToObj(n -> new ReplicaTable(n, "replica-" + n, shard.replicaTable(n))).toList();
            return new ShardRange(shard.id(), shard.start(), shard.end(), range, shard.leader(), replicas);
        }
    }

    /**
     * @param replica the replica's number, 1-based
     * @param name    {@code replica-<n>}: as in {@code /v1/replication}, {@code servedBy} and the metrics' Replica dimension
     */
    public record ReplicaTable(int replica, String name, String table) {
    }
}
