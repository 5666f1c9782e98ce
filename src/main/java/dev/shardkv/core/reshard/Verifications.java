package dev.shardkv.core.reshard;

import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import java.util.List;

/** Plans a verification: the shards it compares, from the map as it is now. */
public final class Verifications {
    private Verifications() {
    }

    /** One shard (404 unknown-shard, naming its successors if it was retired), or every shard of the map. */
    public static Operation plan(ShardMap map, VerifyRequest request, String id, long now) {
        VerifyRequest asked = request == null ? new VerifyRequest(null, false) : request;
        List<ShardEntry> shards = asked.shard() == null ? map.shards()
                : List.of(map.shard(asked.shard()).orElseThrow(() -> Refusals.unknown(map, asked.shard())));
        return Operation.verify(id, shards, asked.repairs(), map.epoch(), now);
    }
}
