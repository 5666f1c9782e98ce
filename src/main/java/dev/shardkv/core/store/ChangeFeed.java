package dev.shardkv.core.store;

import dev.shardkv.core.replication.ChangeRecord;
import java.util.List;
import java.util.Map;

/**
 * A leader table's change stream, read by a reshard's catch-up (DynamoDB Streams: up to two readers per
 * stream shard, the replicator's event source mapping being the other). Each stream shard's records
 * come in their order, a parent's before its children's. Not thread-safe: one reader.
 */
public interface ChangeFeed extends AutoCloseable {

    /** Opens leader tables' streams. */
    interface Source {
        /** After the given positions (stream shard id to sequence number); from each shard's oldest record where none. */
        ChangeFeed open(String leaderTable, Map<String, String> after);

        /**
         * From now on: only records committed after this call (a reshard's copy, which starts after,
         * reads everything before). Stream shards that later split are read whole.
         */
        ChangeFeed openAtTail(String leaderTable);
    }

    /**
     * @param records the records read, in each stream shard's order
     * @param atTail  every stream shard was read up to the newest record it held when asked: nothing
     *                committed before this call is left unread
     */
    record Page(List<ChangeRecord> records, boolean atTail) {
    }

    /** The next records of every stream shard. */
    Page next();

    /** Per stream shard, the sequence number of the last record {@link #next} has returned: where to reopen. */
    Map<String, String> positions();

    @Override
    void close();
}
