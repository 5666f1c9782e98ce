package dev.shardkv.core.tx;

import dev.shardkv.core.kv.StoredItem;
import java.util.List;
import java.util.Map;

/** Atomic multi-item reads and writes across leader tables (DynamoDB TransactGetItems / TransactWriteItems). */
public interface TransactionStore {

    /** Where an item lives. */
    record ItemRef(String table, String key) {
    }

    /**
     * One item written (or checked) by a transaction.
     *
     * @param newState        the item's state after the transaction; null for a check
     * @param expectedVersion the version the item must still have; null: it must not exist at all
     */
    record Write(ItemRef ref, StoredItem newState, Long expectedVersion) {
    }

    /** A serializable snapshot of the items (absent items are not in the map). */
    Map<ItemRef, StoredItem> read(List<ItemRef> refs);

    /** All or nothing. Empty when committed; else the cancellation reason code of each write, in order. */
    List<String> write(List<Write> writes);

    String CONDITION_FAILED = "ConditionalCheckFailed";
    String CONFLICT = "TransactionConflict";
}
