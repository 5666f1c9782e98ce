package dev.shardkv.core.gateway;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.protocol.ShardStatus;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.ShardMapSource;
import java.time.Duration;
import java.util.Map;

/**
 * Keys to shards by the current shard map, and the one place that routes again around a reshard: when
 * a shard answers "wrong shard", the router re-reads the map (to at least the epoch the shard holds)
 * and sends the request again, built for the new map, up to {@link #WRONG_SHARD_RETRIES} times; when a
 * shard answers "frozen" (its cutover is under way), the router re-reads the map and sends again, with
 * backoff, for up to {@link #FROZEN_WAIT}, so that a client sees a reshard as a pause, not an error.
 */
final class Router {
    /** Retries after a wrong-shard answer, each with a newer map; then the last answer stands. */
    static final int WRONG_SHARD_RETRIES = 3;
    /** How long a request waits out a frozen shard before the "frozen" answer stands (503, Retry-After). */
    static final Duration FROZEN_WAIT = Duration.ofSeconds(2);
    private static final long MAX_BACKOFF_MS = 20;

    private final ShardMapSource maps;
    private final Duration frozenWait;

    Router(ShardMapSource maps) {
        this(maps, FROZEN_WAIT);
    }

    Router(ShardMapSource maps, Duration frozenWait) {
        this.maps = maps;
        this.frozenWait = frozenWait;
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

    ShardMap refreshedMap() {
        return maps.refresh();
    }

    ShardEntry route(String key) {
        return maps.current().route(key);
    }

    /** Sends by the current map; on a wrong-shard or frozen answer re-reads the map and sends again, within bounds. */
    Routed send(Attempt attempt) {
        ShardMap map = maps.current();
        int wrongShard = 0;
        long frozenSince = -1;
        long backoffMs = 1;
        while (true) {
            ShardResponse response = attempt.send(map);
            if (response.status() == ShardStatus.WRONG_SHARD && wrongShard++ < WRONG_SHARD_RETRIES) {
                map = maps.atLeast(Math.max(response.epoch(), map.epoch() + 1));
            } else if (response.status() == ShardStatus.FROZEN && waitedLessThan(frozenSince)) {
                frozenSince = frozenSince < 0 ? System.nanoTime() : frozenSince;
                pause(backoffMs);
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
                map = maps.refresh();
            } else {
                return new Routed(map, response);
            }
        }
    }

    private boolean waitedLessThan(long since) {
        return since < 0 || System.nanoTime() - since < frozenWait.toNanos();
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShardKvException(ProblemType.SHARD_UNAVAILABLE, "interrupted while a shard was frozen");
        }
    }

    /**
     * A consistency token may name only shards of the map: a made-up shard would be echoed back in
     * every later token and make session reads compare against nothing.
     */
    void requireKnownShards(ConsistencyToken token) {
        ShardMap map = maps.current();
        for (String shard : token.commits().keySet()) {
            if (map.owners(shard).isEmpty()) { // a retired shard's writes are on its successors
                throw new ShardKvException(ProblemType.INVALID_CONSISTENCY,
                        "The consistency token names shard \"" + shard + "\", which this shard map never had; "
                                + "send back the X-Consistency-Token of a write.",
                        Map.of("shard", shard, "epoch", map.epoch()));
            }
        }
    }
}
