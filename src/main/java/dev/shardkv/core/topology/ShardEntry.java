package dev.shardkv.core.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One shard in the shard map: its range over routing keys and the tables that hold it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShardEntry(String id, String start, String end, String leader, List<String> replicas) {
    public ShardEntry {
        replicas = List.copyOf(replicas);
    }

    /** Whether a routing key falls in {@code [start, end)}. */
    public boolean covers(String routingKey) {
        return (start == null || RoutingKeys.compare(routingKey, start) >= 0)
                && (end == null || RoutingKeys.compare(routingKey, end) < 0);
    }

    public int replicaCount() {
        return replicas.size();
    }

    /** The replica table for a 1-based replica number. */
    public String replicaTable(int replica) {
        return replicas.get(replica - 1);
    }
}
