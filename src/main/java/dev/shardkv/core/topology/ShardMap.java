package dev.shardkv.core.topology;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The shard map: data, not code. Stored in the control table with an epoch that increases on
 * every change; every component that routes caches it and re-reads it when it meets a newer epoch.
 */
public record ShardMap(long epoch, RoutingMode routing, List<ShardEntry> shards) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ShardMap {
        shards = List.copyOf(shards);
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch starts at 1");
        }
    }

    /** The first shard map of a deployment: epoch 1, straight from the topology. */
    public static ShardMap initial(Topology topology) {
        List<ShardEntry> entries = topology.shards().stream()
                .map(s -> new ShardEntry(s.id(), s.start(), s.end(),
                        topology.leaderTable(s.id()), topology.replicaTables(s.id())))
                .toList();
        return new ShardMap(1, topology.routing(), entries);
    }

    /** The shard that owns a key. Exactly one does: the ranges are contiguous and cover everything. */
    public ShardEntry route(String key) {
        String routingKey = RoutingKeys.of(routing, key);
        for (ShardEntry shard : shards) {
            if (shard.covers(routingKey)) {
                return shard;
            }
        }
        throw new IllegalStateException("no shard covers routing key " + routingKey);
    }

    public Optional<ShardEntry> shard(String id) {
        return shards.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ShardMap parse(String json) {
        try {
            return JSON.readValue(json, ShardMap.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("shard map is not valid JSON: " + e.getMessage(), e);
        }
    }
}
