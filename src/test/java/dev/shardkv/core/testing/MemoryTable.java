package dev.shardkv.core.testing;

import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.store.Scannable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** The items of one table, in key order; what the in-memory leader and replica stores share. */
abstract class MemoryTable implements Scannable {
    final String table;
    final Map<String, StoredItem> items = new ConcurrentSkipListMap<>();

    MemoryTable(String table) {
        this.table = table;
    }

    public String table() {
        return table;
    }

    public Optional<StoredItem> get(String key) {
        return Optional.ofNullable(items.get(key));
    }

    /** Puts an item as it is, around every rule (a test's setup). */
    public void seed(StoredItem item) {
        items.put(item.key(), item);
    }

    @Override
    public ScanPage scanLive(String prefix, String exclusiveStartKey, int pageSize, boolean consistent) {
        List<StoredItem> live = live(prefix, exclusiveStartKey);
        List<StoredItem> page = live.subList(0, Math.min(pageSize, live.size()));
        return new ScanPage(page, live.size() > pageSize ? page.get(page.size() - 1).key() : null);
    }

    @Override
    public CountPage countLive(String prefix, String exclusiveStartKey, int pageSize, boolean consistent) {
        return new CountPage(live(prefix, exclusiveStartKey).size(), null);
    }

    private List<StoredItem> live(String prefix, String after) {
        return items.values().stream().filter(StoredItem::isLive).filter(i -> !Keys.isReserved(i.key()))
                .filter(i -> prefix == null || i.key().startsWith(prefix))
                .filter(i -> after == null || i.key().compareTo(after) > 0).toList();
    }
}
