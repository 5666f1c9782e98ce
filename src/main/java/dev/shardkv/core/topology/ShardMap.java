package dev.shardkv.core.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shard map: data, not code. Stored in the control table with an epoch that increases on
 * every change; every component that routes caches it and re-reads it when it meets a newer epoch.
 *
 * <p>{@code successors} is the lineage of resharding: each retired shard id and the ids that took
 * its range (a split's two halves, a merge's one shard), oldest entry first. A consistency token issued
 * before a reshard names retired shards; {@link #owners} says which live shards hold its writes now.
 * Absent from the JSON while empty, so a map that was never resharded reads as it always did.
 */
public record ShardMap(long epoch, RoutingMode routing, List<ShardEntry> shards,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, List<String>> successors) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ShardMap {
        shards = List.copyOf(shards);
        successors = successors == null ? Map.of() : ordered(successors);
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch starts at 1");
        }
    }

    /** A map without lineage: nothing was ever resharded. */
    public ShardMap(long epoch, RoutingMode routing, List<ShardEntry> shards) {
        this(epoch, routing, shards, Map.of());
    }

    // Insertion order is age order: the lineage drops its oldest entries first.
    private static Map<String, List<String>> ordered(Map<String, List<String>> successors) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        successors.forEach((id, next) -> copy.put(id, List.copyOf(next)));
        return Collections.unmodifiableMap(copy);
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

    /**
     * The live shards that hold what a shard id held: itself while it is live, and its successors,
     * followed until live ones are met (a split then a merge, say), in range order. An id that was
     * retired and later reused resolves to its live shard and to where its earlier range went: more
     * shards than needed, never fewer. Empty for an id this map never had (or forgot, being old).
     */
    public List<ShardEntry> owners(String id) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        if (id != null) {
            todo.add(id);
        }
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (seen.add(next)) {
                todo.addAll(successors.getOrDefault(next, List.of()));
            }
        }
        return shards.stream().filter(s -> seen.contains(s.id())).toList();
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
