package dev.shardkv.core.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.query.ShardQueryResult;
import dev.shardkv.core.tx.TxOutcome;
import dev.shardkv.core.replication.Watermark;
import java.util.List;

/**
 * A shard function's answer.
 *
 * @param servedBy   {@code <shard>/leader} or {@code <shard>/<name>}, a replica's name being {@code replica-<n>}
 * @param item       the item written or read (a tombstone for deletes; the current item on failure)
 * @param created    for puts: no live item was there before
 * @param epoch      the shard-map epoch the function holds (newer than the request's on WRONG_SHARD)
 * @param watermark  for replica reads: the replica's watermark at the time of the read
 * @param watermarks for WATERMARKS: one per replica, in replica order (null when a replica has none)
 * @param query      for QUERY: the shard's answer
 * @param items      for BATCH_GET: the items found (tombstones included), in no order
 * @param tx         for TX: how the transaction ended
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShardResponse(ShardStatus status, String shard, String servedBy, StoredItem item, boolean created,
        long epoch, String detail, Watermark watermark, List<Watermark> watermarks, ShardQueryResult query,
        List<StoredItem> items, TxOutcome tx) {

    public ShardResponse(ShardStatus status, String shard, String servedBy, StoredItem item, boolean created,
            long epoch, String detail, Watermark watermark, List<Watermark> watermarks) {
        this(status, shard, servedBy, item, created, epoch, detail, watermark, watermarks, null, null, null);
    }

    public static ShardResponse query(String shard, String servedBy, long epoch, ShardQueryResult result) {
        return new ShardResponse(ShardStatus.OK, shard, servedBy, null, false, epoch, null, null, null, result, null, null);
    }

    public static ShardResponse items(String shard, String servedBy, long epoch, List<StoredItem> items) {
        return new ShardResponse(ShardStatus.OK, shard, servedBy, null, false, epoch, null, null, null, null, items, null);
    }

    public static ShardResponse tx(String shard, String servedBy, long epoch, TxOutcome outcome) {
        return new ShardResponse(ShardStatus.OK, shard, servedBy, null, false, epoch, null, null, null, null, null, outcome);
    }

    public static ShardResponse ok(String shard, String servedBy, StoredItem item, boolean created, long epoch) {
        return new ShardResponse(ShardStatus.OK, shard, servedBy, item, created, epoch, null, null, null);
    }

    /** A write that committed as its shard froze: the answer it would have had, in doubt. */
    public static ShardResponse inDoubt(ShardResponse committed, String detail) {
        return new ShardResponse(ShardStatus.IN_DOUBT, committed.shard(), committed.servedBy(), committed.item(),
                committed.created(), committed.epoch(), detail, null, null);
    }

    public static ShardResponse of(ShardStatus status, String shard, String servedBy, StoredItem item, long epoch,
            String detail) {
        return new ShardResponse(status, shard, servedBy, item, false, epoch, detail, null, null);
    }

    public ShardResponse withWatermark(Watermark w) {
        return new ShardResponse(status, shard, servedBy, item, created, epoch, detail, w, watermarks, query, items, tx);
    }

    public static ShardResponse watermarks(String shard, long epoch, List<Watermark> watermarks) {
        return new ShardResponse(ShardStatus.OK, shard, shard + "/replicas", null, false, epoch, null, null,
                watermarks);
    }
}
