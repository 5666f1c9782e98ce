package dev.shardkv.core.topology;

import dev.shardkv.core.store.ControlStore;
import java.util.Objects;

/**
 * A cached shard map that re-reads the control table only when it meets a newer epoch than it holds.
 */
public final class ShardMapSource {
    private final ControlStore control;
    private volatile ShardMap current;

    public ShardMapSource(ControlStore control, ShardMap initial) {
        this.control = Objects.requireNonNull(control);
        this.current = Objects.requireNonNull(initial);
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
        control.loadShardMap().ifPresent(map -> {
            synchronized (this) {
                if (map.epoch() > current.epoch()) {
                    current = map;
                }
            }
        });
        return current;
    }
}
