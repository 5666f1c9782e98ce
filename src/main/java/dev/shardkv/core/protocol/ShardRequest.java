package dev.shardkv.core.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.query.ShardQuery;
import dev.shardkv.core.tx.TxRequest;
import java.util.List;

/**
 * The payload the gateway sends a writer or reader function (a Lambda invoke on AWS, a method call
 * in the embedded runtime).
 *
 * @param epoch   the shard-map epoch the gateway routed with: the writer fences on it
 * @param replica the 1-based replica a reader should read
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShardRequest(ShardOp op, String key, String value, Precondition precondition, long epoch,
        Integer replica, ShardQuery query, List<String> keys, TxRequest tx) {

    public ShardRequest(ShardOp op, String key, String value, Precondition precondition, long epoch, Integer replica) {
        this(op, key, value, precondition, epoch, replica, null, null, null);
    }

    public static ShardRequest query(ShardQuery query, Integer replica, long epoch) {
        return new ShardRequest(ShardOp.QUERY, null, null, null, epoch, replica, query, null, null);
    }

    public static ShardRequest batchGet(List<String> keys, Integer replica, long epoch) {
        return new ShardRequest(ShardOp.BATCH_GET, null, null, null, epoch, replica, null, List.copyOf(keys), null);
    }

    public static ShardRequest tx(TxRequest tx) {
        return new ShardRequest(ShardOp.TX, null, null, null, tx.epoch(), null, null, null, tx);
    }

    public static ShardRequest put(String key, String valueJson, Precondition precondition, long epoch) {
        return new ShardRequest(ShardOp.PUT, key, valueJson, precondition, epoch, null);
    }

    public static ShardRequest delete(String key, Precondition precondition, long epoch) {
        return new ShardRequest(ShardOp.DELETE, key, null, precondition, epoch, null);
    }

    public static ShardRequest strongGet(String key, long epoch) {
        return new ShardRequest(ShardOp.GET, key, null, null, epoch, null);
    }

    public static ShardRequest replicaGet(String key, int replica, long epoch) {
        return new ShardRequest(ShardOp.GET, key, null, null, epoch, replica);
    }

    public static ShardRequest watermarks() {
        return new ShardRequest(ShardOp.WATERMARKS, null, null, null, 0, null);
    }

    public Precondition preconditionOrNone() {
        return precondition == null ? Precondition.NONE : precondition;
    }
}
