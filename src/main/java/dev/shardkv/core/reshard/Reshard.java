package dev.shardkv.core.reshard;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import java.util.List;

/**
 * A checked plan for one split or merge: the shards it retires, the shards that take their range
 * (with their tables, named as the topology names them) and the shard map once it is done.
 */
public record Reshard(Kind kind, List<ShardEntry> sources, List<ShardEntry> targets, ShardMap next) {
    /** In JSON (an operation's {@code kind}) as the admin API names it: {@code split}, {@code merge}. */
    public enum Kind {
        /** One shard becomes two, at a routing key. */
        @JsonProperty("split") SPLIT,
        /** Two adjacent shards become one. */
        @JsonProperty("merge") MERGE
    }

    public Reshard {
        sources = List.copyOf(sources);
        targets = List.copyOf(targets);
    }
}
