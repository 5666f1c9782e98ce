package dev.shardkv.core.gateway;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.protocol.ShardClient;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardStatus;
import dev.shardkv.core.protocol.ShardResponse;
import java.util.Collection;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The gateway's calls to the leader side: a key's writer (routed again around a reshard, throttling
 * turned into a 503 to retry), or, for a request over several keys, one shard's writer or the coordinator.
 */
final class Leaders {
    private final Router router;
    private final ShardClient shards;
    private final ShardLoad load;

    Leaders(Router router, ShardClient shards, ShardLoad load) {
        this.router = router;
        this.shards = shards;
        this.load = load;
    }

    /** A request about one key, built for the epoch it is routed with, to the writer of the key's shard. */
    ShardResponse toWriter(String key, LongFunction<ShardRequest> request) {
        ShardResponse response = send(key, request);
        if (response.status() == ShardStatus.IN_DOUBT) {
            response = new InDoubt(router, this::send).resolve(key, response, request);
        }
        ShardErrors.requireNotFrozen(response, key);
        return response;
    }

    private ShardResponse send(String key, LongFunction<ShardRequest> request) {
        Router.Routed routed = router.send(map -> writer(map.route(key).id(), request.apply(map.epoch())));
        if (routed.mapKeptChanging()) {
            throw new ShardKvException(ProblemType.WRONG_SHARD,
                    "The shard map kept changing while routing this request; retry it.",
                    Map.of("key", key, "epoch", routed.response().epoch()));
        }
        return routed.response();
    }

    /** Who commits or snapshots keys of these shards: the shard's writer when there is one, else the coordinator. */
    ShardResponse toLeaders(Collection<String> shardIds, ShardRequest request) {
        return shardIds.size() == 1 ? shards.writer(shardIds.iterator().next(), request) : shards.coordinator(request);
    }

    private ShardResponse writer(String shard, ShardRequest request) {
        try {
            return shards.writer(shard, request);
        } catch (RuntimeException e) {
            if (ShardErrors.isThrottle(e)) {
                load.throttle(shard);
                throw ShardErrors.throttled(shard);
            }
            throw e;
        }
    }
}
