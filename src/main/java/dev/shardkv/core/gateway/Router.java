package dev.shardkv.core.gateway;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.protocol.ShardStatus;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.ShardMapSource;
import java.util.Map;

/**
 * Keys to shards by the current shard map, and the one place that routes again around a reshard: when
 * a shard answers "wrong shard", the router re-reads the map (to at least the epoch the shard holds)
 * and sends the request again, built for the new map, up to {@link #WRONG_SHARD_RETRIES} times.
 */
final class Router {
    /** Retries after a wrong-shard answer, each with a newer map; then the last answer stands. */
    static final int WRONG_SHARD_RETRIES = 3;

    private final ShardMapSource maps;

    Router(ShardMapSource maps) {
        this.maps = maps;
    }

    /** One try of a request: built for and sent by the given map. */
    @FunctionalInterface
    interface Attempt {
        ShardResponse send(ShardMap map);
    }

    /** The last try's map and answer; the answer is WRONG_SHARD only when the retries ran out. */
    record Routed(ShardMap map, ShardResponse response) {
        boolean mapKeptChanging() {
            return response.status() == ShardStatus.WRONG_SHARD;
        }
    }

    ShardMap map() {
        return maps.current();
    }

    ShardEntry route(String key) {
        return maps.current().route(key);
    }

    /** Sends by the current map; on a wrong-shard answer re-reads the map and sends again, a bounded number of times. */
    Routed send(Attempt attempt) {
        ShardMap map = maps.current();
        for (int retry = 0; ; retry++) {
            ShardResponse response = attempt.send(map);
            if (response.status() != ShardStatus.WRONG_SHARD || retry == WRONG_SHARD_RETRIES) {
                return new Routed(map, response);
            }
            map = maps.atLeast(Math.max(response.epoch(), map.epoch() + 1));
        }
    }

    /**
     * A consistency token may name only shards of the map: a made-up shard would be echoed back in
     * every later token and make session reads compare against nothing.
     */
    void requireKnownShards(ConsistencyToken token) {
        ShardMap map = maps.current();
        for (String shard : token.commits().keySet()) {
            if (map.shard(shard).isEmpty()) {
                throw new ShardKvException(ProblemType.INVALID_CONSISTENCY,
                        "The consistency token names shard \"" + shard + "\", which this shard map never had; "
                                + "send back the X-Consistency-Token of a write.",
                        Map.of("shard", shard, "epoch", map.epoch()));
            }
        }
    }
}
