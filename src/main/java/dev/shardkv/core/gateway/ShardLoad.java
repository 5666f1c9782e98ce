package dev.shardkv.core.gateway;

import dev.shardkv.core.reshard.SplitPoint;
import dev.shardkv.core.topology.RoutingKeys;
import dev.shardkv.core.topology.RoutingMode;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Reads, writes and throttles per shard, as the gateway routes them: the hot-shard signal. Since the start
 * ({@link #of}), and as rates over the last {@link #WINDOW_MS} in one-second buckets ({@link #rates}); and
 * per shard a {@link SplitFinder} over the keys asked for, renewed every window, which suggests where to
 * split a hot shard or names its one hot key ({@link #report}).
 *
 * <p><b>Hot</b>: with at least two live shards, a shard whose requests per second (reads + writes over the
 * window) are at least {@link #HOT_FACTOR} times the mean of the other live shards, and at least
 * {@link #HOT_MIN_RATE}, so that an idle or lightly used cluster flags nothing. The mean of the others, not
 * of all: with three shards, one taking three times what each other one takes is hot, and two shards that
 * share most of the load are both hot.
 */
public final class ShardLoad {
    /** The span the rates cover. */
    public static final long WINDOW_MS = 10_000;
    static final long BUCKET_MS = 1_000;
    /** Hot: at least this many times the mean requests per second of the other live shards... */
    public static final double HOT_FACTOR = 2.0;
    /** ...and at least this many requests per second. */
    public static final double HOT_MIN_RATE = 20.0;

    private final Map<String, Shard> shards = new ConcurrentHashMap<>();
    private final LongSupplier millis;
    private final RandomGenerator.SplittableGenerator random;
    private final long startedAt;

    public record Snapshot(long reads, long writes, long throttles) {
    }

    /** Per second over the window: reads, writes, and the bytes of the values written and read. */
    public record Rates(double readsPerSecond, double writesPerSecond, double bytesPerSecond) {
        public static final Rates NONE = new Rates(0, 0, 0);

        public double requestsPerSecond() {
            return readsPerSecond + writesPerSecond;
        }
    }

    /**
     * One live shard's load: its rates, whether it is hot, and for a hot shard either the split point its
     * requests suggest ({@code splitAt}, a routing key the admin API takes as {@code at}) or its one hot key
     * ({@code hotKey}, as a client sent it), or neither when the sample does not tell.
     */
    public record Report(String shard, Rates rates, boolean hot, String splitAt, String hotKey) {
    }

    /** On the system clock. */
    public ShardLoad() {
        this(System::currentTimeMillis, new SplittableRandom());
    }

    /** @param millis the time in milliseconds; the rates and the finders' windows follow it */
    public ShardLoad(LongSupplier millis, RandomGenerator.SplittableGenerator random) {
        this.millis = millis;
        this.random = random;
        this.startedAt = millis.getAsLong();
    }

    /** A read routed to the shard, with no key to sample. */
    public void read(String shard) {
        Shard s = shard(shard);
        s.reads.increment();
        s.add(millis.getAsLong(), 1, 0, 0, null, null);
    }

    /** A read of a key routed to the shard. */
    public void read(String shard, RoutingMode routing, String key) {
        Shard s = shard(shard);
        s.reads.increment();
        s.add(millis.getAsLong(), 1, 0, 0, key, RoutingKeys.of(routing, key));
    }

    /** A write routed to the shard, with no key to sample. */
    public void write(String shard) {
        Shard s = shard(shard);
        s.writes.increment();
        s.add(millis.getAsLong(), 0, 1, 0, null, null);
    }

    /** A write of a key routed to the shard, with the size of the value it writes (0 for a delete). */
    public void write(String shard, RoutingMode routing, String key, long valueBytes) {
        Shard s = shard(shard);
        s.writes.increment();
        s.add(millis.getAsLong(), 0, 1, valueBytes, key, RoutingKeys.of(routing, key));
    }

    /** A key a request counted already (a batch read, a transaction) touches: sampled, not counted again. */
    public void key(String shard, RoutingMode routing, String key) {
        shard(shard).add(millis.getAsLong(), 0, 0, 0, key, RoutingKeys.of(routing, key));
    }

    /** Bytes of values read from or written to the shard, counted once they are known. */
    public void bytes(String shard, long valueBytes) {
        if (valueBytes > 0) {
            shard(shard).add(millis.getAsLong(), 0, 0, valueBytes, null, null);
        }
    }

    public void throttle(String shard) {
        shard(shard).throttles.increment();
    }

    /** Since the gateway started. */
    public Snapshot of(String shard) {
        Shard s = shard(shard);
        return new Snapshot(s.reads.sum(), s.writes.sum(), s.throttles.sum());
    }

    /** Over the last {@link #WINDOW_MS} (or since the start, when that is shorter; at least a second). */
    public Rates rates(String shard) {
        Shard s = shards.get(shard);
        return s == null ? Rates.NONE : s.rates(millis.getAsLong(), startedAt);
    }

    /** Every live shard of the map, in its order: rates, hot or not, and for a hot shard the suggestion. */
    public List<Report> report(ShardMap map) {
        long now = millis.getAsLong();
        List<ShardEntry> live = map.shards();
        List<Rates> rates = new ArrayList<>();
        double[] requests = new double[live.size()];
        for (int i = 0; i < live.size(); i++) {
            Shard s = shards.get(live.get(i).id());
            Rates r = s == null ? Rates.NONE : s.rates(now, startedAt);
            rates.add(r);
            requests[i] = r.requestsPerSecond();
        }
        List<Report> reports = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
            ShardEntry entry = live.get(i);
            boolean hot = hot(requests, i);
            String splitAt = null;
            String hotKey = null;
            Shard s = shards.get(entry.id());
            if (hot && s != null) {
                Suggestion suggestion = s.suggest(now, map.routing(), entry);
                splitAt = suggestion.splitAt();
                hotKey = suggestion.hotKey();
            }
            reports.add(new Report(entry.id(), rates.get(i), hot, splitAt, hotKey));
        }
        return reports;
    }

    /**
     * The hot rule over the live shards' requests per second: shard {@code i} is hot when there are at least
     * two shards, it takes at least {@link #HOT_MIN_RATE}, and at least {@link #HOT_FACTOR} times the mean of
     * the others.
     */
    static boolean hot(double[] requestsPerSecond, int i) {
        int n = requestsPerSecond.length;
        if (n < 2 || requestsPerSecond[i] < HOT_MIN_RATE) {
            return false;
        }
        double others = 0;
        for (int j = 0; j < n; j++) {
            if (j != i) {
                others += requestsPerSecond[j];
            }
        }
        return requestsPerSecond[i] >= HOT_FACTOR * (others / (n - 1));
    }

    private Shard shard(String shard) {
        Shard s = shards.get(shard);
        if (s != null) {
            return s;
        }
        synchronized (random) { // split() changes the generator it splits
            return shards.computeIfAbsent(shard, id -> new Shard(random.split()));
        }
    }

    private record Suggestion(String splitAt, String hotKey) {
    }

    private static final class Shard {
        final LongAdder reads = new LongAdder();
        final LongAdder writes = new LongAdder();
        final LongAdder throttles = new LongAdder();
        private final LoadWindow window = new LoadWindow(BUCKET_MS, (int) (WINDOW_MS / BUCKET_MS));
        private final RandomGenerator random;
        /** The finder of the current window (generation: time / WINDOW_MS), and that of the one before. */
        private SplitFinder current;
        private SplitFinder previous;
        private long generation = Long.MIN_VALUE;

        Shard(RandomGenerator random) {
            this.random = random;
        }

        synchronized void add(long now, long reads, long writes, long bytes, String key, String routingKey) {
            window.add(now, reads, writes, bytes);
            if (key != null) {
                finder(now).record(key, routingKey);
            }
        }

        synchronized Rates rates(long now, long since) {
            return window.rates(now, since);
        }

        /**
         * From the finder of the current window or of the one just before, whichever has recorded more: a
         * finder just renewed has seen little, and the one before it covers a whole window.
         */
        synchronized Suggestion suggest(long now, RoutingMode routing, ShardEntry entry) {
            finder(now);
            SplitFinder finder = previous != null && previous.recorded() > current.recorded() ? previous : current;
            String hotKey = finder.hotKey().orElse(null);
            if (hotKey != null) {
                return new Suggestion(null, hotKey);
            }
            return new Suggestion(finder.splitKey(at -> SplitPoint.allows(routing, entry, at)).orElse(null), null);
        }

        private SplitFinder finder(long now) {
            long g = Math.floorDiv(now, WINDOW_MS);
            if (g != generation) {
                previous = current != null && g == generation + 1 ? current : null;
                current = new SplitFinder(random);
                generation = g;
            }
            return current;
        }
    }
}
