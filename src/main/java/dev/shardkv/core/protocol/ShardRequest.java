package dev.shardkv.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.query.ShardQuery;
import dev.shardkv.core.tx.TxRequest;
import java.util.List;

/**
 * The payload the gateway sends a writer, reader or coordinator function (a Lambda invoke on AWS, a
 * method call in the embedded runtime): one record per operation, each with only its own fields.
 * On the wire it is JSON whose {@code op} property names the operation ({@code PUT}, {@code GET}, ...);
 * any Jackson mapper, the Lambda runtime's included, reads it back into the right record.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "op")
@JsonSubTypes({@JsonSubTypes.Type(ShardRequest.Put.class), @JsonSubTypes.Type(ShardRequest.Delete.class),
        @JsonSubTypes.Type(ShardRequest.Get.class), @JsonSubTypes.Type(ShardRequest.Watermarks.class),
        @JsonSubTypes.Type(ShardRequest.Query.class), @JsonSubTypes.Type(ShardRequest.BatchGet.class),
        @JsonSubTypes.Type(ShardRequest.Transact.class)})
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ShardRequest {

    /** The shard-map epoch the gateway routed with: the writer fences on it. */
    long epoch();

    /** The operation's name on the wire (the {@code op} property). */
    default String op() {
        return getClass().getAnnotation(JsonTypeName.class).value();
    }

    /** Writer: conditional, versioned put on the leader. */
    @JsonTypeName("PUT")
    record Put(String key, String value, Precondition precondition, long epoch) implements ShardRequest {
        public Precondition preconditionOrNone() {
            return precondition == null ? Precondition.NONE : precondition;
        }
    }

    /** Writer: conditional tombstone delete on the leader. */
    @JsonTypeName("DELETE")
    record Delete(String key, Precondition precondition, long epoch) implements ShardRequest {
        public Precondition preconditionOrNone() {
            return precondition == null ? Precondition.NONE : precondition;
        }
    }

    /**
     * Writer: strongly consistent read on the leader. Reader: read on one replica.
     *
     * @param replica the 1-based replica a reader should read (null for the leader)
     */
    @JsonTypeName("GET")
    record Get(String key, Integer replica, long epoch) implements ShardRequest {
    }

    /** Reader: the watermarks of all the shard's replicas, for lag-aware routing. */
    @JsonTypeName("WATERMARKS")
    record Watermarks() implements ShardRequest {
        @Override
        public long epoch() {
            return 0;
        }
    }

    /** Reader (a replica) or writer (the leader, consistent): one shard's part of a scatter-gather query. */
    @JsonTypeName("QUERY")
    record Query(ShardQuery query, Integer replica, long epoch) implements ShardRequest {
    }

    /** Reader: several keys from one replica. Writer, coordinator: a consistent snapshot from the leader(s). */
    @JsonTypeName("BATCH_GET")
    record BatchGet(List<String> keys, Integer replica, long epoch) implements ShardRequest {
    }

    /** Writer (one shard) or coordinator (several): an atomic transaction on the leaders. */
    @JsonTypeName("TX")
    record Transact(TxRequest tx) implements ShardRequest {
        @Override
        public long epoch() {
            return tx.epoch();
        }
    }

    static Query query(ShardQuery query, Integer replica, long epoch) {
        return new Query(query, replica, epoch);
    }

    static BatchGet batchGet(List<String> keys, Integer replica, long epoch) {
        return new BatchGet(List.copyOf(keys), replica, epoch);
    }

    static Transact tx(TxRequest tx) {
        return new Transact(tx);
    }

    static Put put(String key, String valueJson, Precondition precondition, long epoch) {
        return new Put(key, valueJson, precondition, epoch);
    }

    static Delete delete(String key, Precondition precondition, long epoch) {
        return new Delete(key, precondition, epoch);
    }

    static Get strongGet(String key, long epoch) {
        return new Get(key, null, epoch);
    }

    static Get replicaGet(String key, int replica, long epoch) {
        return new Get(key, replica, epoch);
    }

    static Watermarks watermarks() {
        return new Watermarks();
    }
}
