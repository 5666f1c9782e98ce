package dev.shardkv.core.shard;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.protocol.ShardStatus;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.store.ReplicaStore;
import dev.shardkv.core.query.ShardQueries;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves reads from a shard's replica tables. One reader per shard serves all its replicas: replicas
 * are tables, not compute, and the gateway (which knows each replica's lag) names the one to read.
 */
public final class ShardReader {
    private final String shard;
    private final List<ReplicaStore> replicas;
    private final Clock clock;

    public ShardReader(String shard, List<ReplicaStore> replicas, Clock clock) {
        this.shard = shard;
        this.replicas = List.copyOf(replicas);
        this.clock = clock;
    }

    public ShardResponse handle(ShardRequest request) {
        return switch (request) {
            case ShardRequest.Get get -> get(get);
            case ShardRequest.Watermarks w -> watermarks(w);
            case ShardRequest.Query query -> validReplica(query.replica())
                    ? ShardResponse.query(shard, servedBy(query.replica()), query.epoch(),
                            ShardQueries.run(query.query(), replicas.get(query.replica() - 1), false, clock))
                    : badReplica(query.replica(), query.epoch());
            case ShardRequest.BatchGet batch -> validReplica(batch.replica())
                    ? ShardResponse.items(shard, servedBy(batch.replica()), batch.epoch(),
                            replicas.get(batch.replica() - 1).getAll(batch.keys()))
                    : badReplica(batch.replica(), batch.epoch());
            case ShardRequest.Put put -> toTheWriter(put);
            case ShardRequest.Delete delete -> toTheWriter(delete);
            case ShardRequest.Transact tx -> toTheWriter(tx);
        };
    }

    private ShardResponse watermarks(ShardRequest.Watermarks request) {
        List<Watermark> marks = new ArrayList<>();
        for (ReplicaStore replica : replicas) {
            marks.add(replica.watermark().orElse(null));
        }
        return ShardResponse.watermarks(shard, request.epoch(), marks);
    }

    private ShardResponse toTheWriter(ShardRequest request) {
        return ShardResponse.of(ShardStatus.INVALID, shard, shard + "/replicas", null, request.epoch(),
                "a reader only reads: " + request.op() + " goes to the writer");
    }

    private boolean validReplica(Integer n) {
        return n != null && n >= 1 && n <= replicas.size();
    }

    private String servedBy(int replica) {
        return shard + "/replica-" + replica;
    }

    private ShardResponse badReplica(Integer replica, long epoch) {
        return ShardResponse.of(ShardStatus.INVALID, shard, shard + "/replicas", null, epoch,
                "replica must be 1.." + replicas.size() + ", not " + replica);
    }

    private ShardResponse get(ShardRequest.Get request) {
        Integer n = request.replica();
        if (!validReplica(n)) {
            return badReplica(n, request.epoch());
        }
        String servedBy = servedBy(n);
        // One GetItem: the gateway learns watermarks from the replicator (embedded) or from WATERMARKS calls.
        var item = replicas.get(n - 1).get(request.key());
        return item.filter(StoredItem::isLive)
                .map(live -> ShardResponse.ok(shard, servedBy, live, false, request.epoch()))
                .orElseGet(() -> ShardResponse.of(ShardStatus.NOT_FOUND, shard, servedBy, item.orElse(null),
                        request.epoch(), null));
    }
}
