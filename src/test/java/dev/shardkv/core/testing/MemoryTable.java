package dev.shardkv.core.testing;

import dev.shardkv.core.kv.ItemVersion;
import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.store.Scannable;
import dev.shardkv.core.store.VersionScannable.VersionPage;
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

    /** Removes a key as it is, around every rule (a test's tampering). */
    public void drop(String key) {
        items.remove(key);
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

    /** Segments by the key's hash, as DynamoDB's by partition; pages in key order within a segment. */
    public ScanPage scanSegment(int segment, int segments, String exclusiveStartKey, int pageSize) {
        List<StoredItem> all = items.values().stream().filter(i -> !Keys.isReserved(i.key()))
                .filter(i -> Math.floorMod(i.key().hashCode(), segments) == segment)
                .filter(i -> exclusiveStartKey == null || i.key().compareTo(exclusiveStartKey) > 0).toList();
        List<StoredItem> page = all.subList(0, Math.min(pageSize, all.size()));
        return new ScanPage(page, all.size() > pageSize ? page.get(page.size() - 1).key() : null);
    }

    /** The same segments and pages as {@link #scanSegment}, without the values. */
    public VersionPage scanVersions(int segment, int segments, String exclusiveStartKey, int pageSize, boolean consistent) {
        ScanPage page = scanSegment(segment, segments, exclusiveStartKey, pageSize);
        return new VersionPage(page.items().stream().map(ItemVersion::of).toList(), page.lastEvaluatedKey());
    }

    private List<StoredItem> live(String prefix, String after) {
        return items.values().stream().filter(StoredItem::isLive).filter(i -> !Keys.isReserved(i.key()))
                .filter(i -> prefix == null || i.key().startsWith(prefix))
                .filter(i -> after == null || i.key().compareTo(after) > 0).toList();
    }
}
