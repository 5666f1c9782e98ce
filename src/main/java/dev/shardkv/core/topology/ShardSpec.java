package dev.shardkv.core.topology;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One shard as the topology file declares it: an id, a half-open routing-key range
 * {@code [start, end)} ({@code null} is unbounded) and how many replicas it has.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShardSpec(String id, String start, String end, int replicas) {
}
