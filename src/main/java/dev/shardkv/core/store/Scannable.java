package dev.shardkv.core.store;

import dev.shardkv.core.kv.StoredItem;
import java.util.List;

/** A table that can be scanned for live client items (tombstones and reserved keys left out). */
public interface Scannable {

    /**
     * One page of a scan.
     *
     * @param items            the live client items on the page with the key prefix
     * @param lastEvaluatedKey where the next page starts; null when the table is done
     */
    record ScanPage(List<StoredItem> items, String lastEvaluatedKey) {
    }

    record CountPage(long count, String lastEvaluatedKey) {
    }

    ScanPage scanLive(String prefix, String exclusiveStartKey, int pageSize, boolean consistent);

    CountPage countLive(String prefix, String exclusiveStartKey, int pageSize, boolean consistent);
}
