package dev.shardkv.core.store;

import dev.shardkv.core.kv.ItemVersion;
import java.util.List;

/** A table whose client items can be listed by key and version only, segment by segment: what a verification compares. */
public interface VersionScannable {

    /**
     * One page of a segment.
     *
     * @param lastEvaluatedKey where the segment's next page starts; null when the segment is done
     */
    record VersionPage(List<ItemVersion> versions, String lastEvaluatedKey) {
    }

    /**
     * One page of one segment of a parallel scan of every client item, tombstones included, reserved keys
     * left out, reading only key, version, ts, tombstone and expiry (values are most of an item's bytes).
     */
    VersionPage scanVersions(int segment, int segments, String exclusiveStartKey, int pageSize, boolean consistent);
}
