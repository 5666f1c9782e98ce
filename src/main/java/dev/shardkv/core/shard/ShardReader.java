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
        return switch (request.op()) {
            case GET -> get(request);
            case WATERMARKS -> {
                List<Watermark> marks = new ArrayList<>();
                for (ReplicaStore replica : replicas) {
                    marks.add(replica.watermark().orElse(null));
                }
                yield ShardResponse.watermarks(shard, request.epoch(), marks);
            }
            case QUERY -> {
                Integer n = request.replica();
                if (n == null || n < 1 || n > replicas.size()) {
                    yield badReplica(request);
                }
                yield ShardResponse.query(shard, shard + "/replica-" + n, request.epoch(),
                        ShardQueries.run(request.query(), replicas.get(n - 1), false, clock));
            }
            case BATCH_GET -> {
                Integer n = request.replica();
                if (n == null || n < 1 || n > replicas.size()) {
                    yield badReplica(request);
                }
                yield ShardResponse.items(shard, shard + "/replica-" + n, request.epoch(),
                        replicas.get(n - 1).getAll(request.keys()));
            }
            default -> ShardResponse.of(ShardStatus.INVALID, shard, shard + "/replicas", null, request.epoch(),
                    "a reader only reads: " + request.op() + " goes to the writer");
        };
    }

    private ShardResponse badReplica(ShardRequest request) {
        return ShardResponse.of(ShardStatus.INVALID, shard, shard + "/replicas", null, request.epoch(),
                "replica must be 1.." + replicas.size() + ", not " + request.replica());
    }

    private ShardResponse get(ShardRequest request) {
        Integer n = request.replica();
        if (n == null || n < 1 || n > replicas.size()) {
            return ShardResponse.of(ShardStatus.INVALID, shard, shard + "/replicas", null, request.epoch(),
                    "replica must be 1.." + replicas.size() + ", not " + n);
        }
        String servedBy = shard + "/replica-" + n;
        // One GetItem: the gateway learns watermarks from the replicator (embedded) or from WATERMARKS calls.
        var item = replicas.get(n - 1).get(request.key());
        return item.filter(StoredItem::isLive)
                .map(live -> ShardResponse.ok(shard, servedBy, live, false, request.epoch()))
                .orElseGet(() -> ShardResponse.of(ShardStatus.NOT_FOUND, shard, servedBy, item.orElse(null),
                        request.epoch(), null));
    }
}
