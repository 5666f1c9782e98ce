package dev.shardkv.core.reshard;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.store.LeaderStore;
import dev.shardkv.core.store.Scannable;
import dev.shardkv.core.topology.RoutingKeys;
import dev.shardkv.core.topology.RoutingMode;
import dev.shardkv.core.topology.ShardEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The verify phase of a reshard: every source item against the target that holds its range, while writes
 * go on. A target behind the source is a difference only if the catch-up has already applied past the
 * item's commit (it should be there); otherwise it is in flight. A target ahead of the source is in
 * flight too (the source moved on after it was read). Reads the source first, then the target, so a
 * difference is never made up by the order of the reads.
 */
public final class Verifier {
    /** A target: its range, and a strongly consistent read of several keys of its leader. */
    public record Target(ShardEntry shard, Function<List<String>, List<StoredItem>> read) {
    }

    /**
     * @param compared  source items compared
     * @param missing   absent on the target although the catch-up is past their commit
     * @param different older on the target although the catch-up is past their commit
     * @param inFlight  not yet on the target, or newer there, as writes go on
     * @param examples  a few keys that differ, for the operation's error
     */
    public record Report(long compared, long missing, long different, long inFlight, List<String> examples) {
        public boolean clean() {
            return missing == 0 && different == 0;
        }
    }

    private final LeaderStore source;
    private final RoutingMode routing;
    private final List<Target> targets;
    private final int pageSize;

    public Verifier(LeaderStore source, RoutingMode routing, List<Target> targets, int pageSize) {
        this.source = source;
        this.routing = routing;
        this.targets = List.copyOf(targets);
        this.pageSize = pageSize;
    }

    /** Told after each page: where the next page starts (null: the source is done) and the report so far. */
    @FunctionalInterface
    public interface Pages {
        void compared(String next, Report soFar);
    }

    /** @param caughtUpTo the commit time through which the catch-up has applied the source's stream */
    public Report verify(LongSupplier caughtUpTo) {
        return verify(null, caughtUpTo, (next, soFar) -> {
        });
    }

    /**
     * From {@code after} (the source's scan key a stopped verification got to; null: from the start), telling
     * {@code pages} after each page so that a caller can save where it is, or stop (by throwing).
     */
    public Report verify(String after, LongSupplier caughtUpTo, Pages pages) {
        long[] counts = new long[4];
        List<String> examples = new ArrayList<>();
        String cursor = after;
        do {
            Scannable.ScanPage page = source.scanSegment(0, 1, cursor, pageSize);
            compare(page.items(), caughtUpTo.getAsLong(), counts, examples);
            cursor = page.lastEvaluatedKey();
            pages.compared(cursor, new Report(counts[0], counts[1], counts[2], counts[3], List.copyOf(examples)));
        } while (cursor != null);
        return new Report(counts[0], counts[1], counts[2], counts[3], List.copyOf(examples));
    }

    private void compare(List<StoredItem> sourceItems, long caughtUpTo, long[] counts, List<String> examples) {
        Map<Target, List<StoredItem>> byTarget = new LinkedHashMap<>();
        for (StoredItem item : sourceItems) {
            byTarget.computeIfAbsent(owner(item.key()), t -> new ArrayList<>()).add(item);
        }
        byTarget.forEach((target, items) -> {
            Map<String, StoredItem> held = new LinkedHashMap<>();
            target.read().apply(items.stream().map(StoredItem::key).toList()).forEach(i -> held.put(i.key(), i));
            for (StoredItem expected : items) {
                counts[0]++;
                StoredItem found = held.get(expected.key());
                int kind = kind(expected, found, caughtUpTo);
                if (kind > 0) {
                    counts[kind]++;
                }
                if ((kind == 1 || kind == 2) && examples.size() < 5) {
                    examples.add(expected.key());
                }
            }
        });
    }

    /** 0 the same, 1 missing, 2 different, 3 in flight. */
    private static int kind(StoredItem expected, StoredItem found, long caughtUpTo) {
        if (found != null && found.version() == expected.version()) {
            return 0;
        }
        if (found != null && found.version() > expected.version() || expected.ts() > caughtUpTo) {
            return 3;
        }
        return found == null ? 1 : 2;
    }

    private Target owner(String key) {
        String routingKey = RoutingKeys.of(routing, key);
        return targets.stream().filter(t -> t.shard().covers(routingKey)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no target covers the key " + key));
    }
}
