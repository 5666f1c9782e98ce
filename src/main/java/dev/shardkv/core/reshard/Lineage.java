package dev.shardkv.core.reshard;

import dev.shardkv.core.topology.ShardEntry;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a reshard changes the shard map's {@code successors}: each retired id points at the ids that
 * took its range, newest entry last. An id can be retired, reused (merging a split's halves back
 * under the old name) and retired again; its entry then keeps every successor it ever had, so that
 * {@link dev.shardkv.core.topology.ShardMap#owners} still finds every range the id ever held. Past
 * {@link #MAX_ENTRIES} the oldest entries go: a token that old names a shard the map no longer
 * knows, and is refused rather than read wrongly.
 */
final class Lineage {
    static final int MAX_ENTRIES = 1000;

    private Lineage() {
    }

    static Map<String, List<String>> after(Map<String, List<String>> before, List<ShardEntry> sources,
            List<ShardEntry> targets) {
        Map<String, List<String>> next = new LinkedHashMap<>(before);
        for (ShardEntry source : sources) {
            Set<String> successors = new LinkedHashSet<>(next.getOrDefault(source.id(), List.of()));
            targets.forEach(t -> successors.add(t.id()));
            next.remove(source.id()); // put back last: it is the newest entry now
            next.put(source.id(), List.copyOf(successors));
        }
        Iterator<String> oldest = next.keySet().iterator();
        while (next.size() > MAX_ENTRIES) {
            oldest.next();
            oldest.remove();
        }
        return next;
    }
}
