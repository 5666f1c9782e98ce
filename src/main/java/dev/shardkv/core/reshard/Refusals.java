package dev.shardkv.core.reshard;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The refusals a split or merge can meet, and how their details quote values. */
final class Refusals {
    private Refusals() {
    }

    /** 400: the request breaks a rule; the detail names the value and the rule. */
    static ShardKvException invalid(String detail, String field, Object value) {
        return new ShardKvException(ProblemType.INVALID_RESHARD, detail, fields(field, value));
    }

    /** 409: a new shard would take an id a live shard has. */
    static ShardKvException taken(String detail, String id) {
        return new ShardKvException(ProblemType.SHARD_EXISTS, detail, fields("shard", id));
    }

    /** 404: no live shard has the id; a retired one says who holds its range now. */
    static ShardKvException unknown(ShardMap map, String id) {
        List<ShardEntry> owners = map.owners(id);
        String detail = owners.isEmpty()
                ? "No shard %s in the shard map (epoch %d); its shards are %s."
                        .formatted(quote(id), map.epoch(), ids(map.shards()))
                : "Shard %s was retired by a reshard; its range is held by %s now (epoch %d)."
                        .formatted(quote(id), ids(owners), map.epoch());
        return new ShardKvException(ProblemType.UNKNOWN_SHARD, detail, fields("shard", id));
    }

    /** 404: the shard has no replica of that number. */
    static ShardKvException unknownReplica(ShardEntry shard, String replica) {
        return new ShardKvException(ProblemType.UNKNOWN_REPLICA, "Shard %s has no replica %s: its replicas are 1 to %d."
                .formatted(quote(shard.id()), quote(replica), shard.replicaCount()),
                Map.of("shard", shard.id(), "replica", replica));
    }

    static String quote(String text) {
        return text == null ? "null" : '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** A shard's range as {@code [-inf, "g")}: half-open, unbounded ends as infinities. */
    static String range(ShardEntry shard) {
        return "[" + (shard.start() == null ? "-inf" : quote(shard.start())) + ", "
                + (shard.end() == null ? "+inf" : quote(shard.end())) + ")";
    }

    static String ids(List<ShardEntry> shards) {
        return shards.stream().map(s -> quote(s.id())).collect(Collectors.joining(", "));
    }

    private static Map<String, Object> fields(String field, Object value) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (value != null) {
            fields.put(field, value);
        }
        return fields;
    }
}
