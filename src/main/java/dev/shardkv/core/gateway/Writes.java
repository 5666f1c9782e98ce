package dev.shardkv.core.gateway;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.kv.ValueCodec;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Puts and deletes: checked at the edge, admitted by the lag throttle, sent to the key's writer, answered. */
final class Writes {
    private final Router router;
    private final Leaders leaders;
    private final WriteThrottle throttle;
    private final ShardLoad load;

    Writes(Router router, Leaders leaders, WriteThrottle throttle, ShardLoad load) {
        this.router = router;
        this.leaders = leaders;
        this.throttle = throttle;
        this.load = load;
    }

    WriteResult put(String key, String valueJson, Precondition precondition, ConsistencyToken token) {
        Keys.requireClientKey(key);
        router.requireKnownShards(token);
        ValueCodec.requireWithinLimit(valueJson);
        admit(key, ValueCodec.utf8Length(valueJson));
        ShardResponse response = leaders.toWriter(key, epoch -> ShardRequest.put(key, valueJson, precondition, epoch));
        return written(key, response, token);
    }

    WriteResult delete(String key, Precondition precondition, ConsistencyToken token) {
        Keys.requireClientKey(key);
        router.requireKnownShards(token);
        admit(key, 0);
        ShardResponse response = leaders.toWriter(key, epoch -> ShardRequest.delete(key, precondition, epoch));
        return written(key, response, token);
    }

    /**
     * Counts the write (and the bytes of its value) against the key's shard and lets it through unless the
     * shard's replicas are too far behind.
     */
    private void admit(String key, long valueBytes) {
        ShardMap map = router.map();
        ShardEntry shard = map.route(key);
        load.write(shard.id(), map.routing(), key, valueBytes);
        throttle.admit(shard);
    }

    private static WriteResult written(String key, ShardResponse response, ConsistencyToken token) {
        switch (response.status()) {
            case OK -> {
                StoredItem item = response.item();
                ConsistencyToken merged = token.merge(ConsistencyToken.of(response.shard(), item.ts()));
                return new WriteResult(key, response.shard(), item, response.created(), merged);
            }
            case NOT_FOUND -> throw new ShardKvException(ProblemType.NOT_FOUND, "No item has the key \"" + key + "\".",
                    fields(key, response));
            case PRECONDITION_FAILED -> throw preconditionFailed(key, response);
            case INVALID -> throw new ShardKvException(ProblemType.INVALID_REQUEST, response.detail(), fields(key, response));
            default -> throw new ShardKvException(ProblemType.SHARD_UNAVAILABLE,
                    "Shard " + response.shard() + " answered " + response.status() + ".", fields(key, response));
        }
    }

    private static ShardKvException preconditionFailed(String key, ShardResponse response) {
        StoredItem current = response.item();
        boolean live = current != null && current.isLive();
        String detail = live
                ? "The key \"" + key + "\" is at version " + current.version() + ", so the precondition does not hold."
                : "The key \"" + key + "\" does not exist, so the precondition does not hold.";
        Map<String, Object> fields = fields(key, response);
        if (live) {
            fields.put("currentVersion", current.version());
        }
        return new ShardKvException(ProblemType.PRECONDITION_FAILED, detail, fields);
    }

    private static Map<String, Object> fields(String key, ShardResponse response) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("key", key);
        fields.put("shard", response.shard());
        return fields;
    }
}
