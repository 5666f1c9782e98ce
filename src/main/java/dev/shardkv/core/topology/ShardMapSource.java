package dev.shardkv.core.topology;

import dev.shardkv.core.store.ControlStore;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cached shard map that re-reads the control table when it meets a newer epoch than it holds, and
 * at least every {@link #MAX_AGE}: a component that only reads (and so never meets a frozen source)
 * still moves to a new map long before the retired shards' tables go.
 */
public final class ShardMapSource {
    /** How old the cached map may get before a caller re-reads it (one caller at a time; the others use the cache). */
    public static final Duration MAX_AGE = Duration.ofSeconds(1);

    private final ControlStore control;
    private final AtomicBoolean loading = new AtomicBoolean();
    private volatile ShardMap current;
    private volatile long loadedAt = System.nanoTime();

    private final long maxAgeNanos;

    public ShardMapSource(ControlStore control, ShardMap initial) {
        this(control, initial, MAX_AGE);
    }

    public ShardMapSource(ControlStore control, ShardMap initial, Duration maxAge) {
        this.control = Objects.requireNonNull(control);
        this.current = Objects.requireNonNull(initial);
        this.maxAgeNanos = maxAge.toNanos();
    }

    /**
     * Loads the stored map; before anything is stored (Terraform seeds it on AWS) the topology's
     * initial map stands in. Needs only read access to the control table.
     */
    public static ShardMapSource load(ControlStore control, Topology topology) {
        return new ShardMapSource(control, control.loadShardMap().orElseGet(() -> ShardMap.initial(topology)));
    }

    /** Seeds the control table with the topology's initial map unless it holds one, then loads it. */
    public static ShardMapSource seedAndLoad(ControlStore control, Topology topology) {
        ShardMap stored = control.loadShardMap().orElseGet(() -> control.seedShardMap(ShardMap.initial(topology)));
        return new ShardMapSource(control, stored);
    }

    public ShardMap current() {
        if (System.nanoTime() - loadedAt > maxAgeNanos && loading.compareAndSet(false, true)) {
            try {
                refresh();
            } catch (RuntimeException e) {
                loadedAt = System.nanoTime(); // the control table is unreachable: keep the cached map, try again later
            } finally {
                loading.set(false);
            }
        }
        return current;
    }

    /** The current map, re-read first if someone has seen an epoch newer than the cached one. */
    public ShardMap atLeast(long epoch) {
        if (epoch > current.epoch()) {
            refresh();
        }
        return current;
    }

    public ShardMap refresh() {
        Optional<ShardMap> stored = control.loadShardMap();
        loadedAt = System.nanoTime();
        stored.ifPresent(map -> {
            synchronized (this) {
                if (map.epoch() > current.epoch()) {
                    current = map;
                }
            }
        });
        return current;
    }
}
