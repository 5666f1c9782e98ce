package dev.shardkv.core.assembly;

import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.protocol.ShardClient;
import dev.shardkv.core.replication.ReplicationListener;
import dev.shardkv.core.replication.ReplicationTracker;
import dev.shardkv.core.replication.Replicator;
import dev.shardkv.core.shard.Coordinator;
import dev.shardkv.core.shard.Heartbeater;
import dev.shardkv.core.shard.ShardReader;
import dev.shardkv.core.shard.ShardWriter;
import dev.shardkv.core.store.ControlStore;
import dev.shardkv.core.store.LeaderStore;
import dev.shardkv.core.store.OperationStore;
import dev.shardkv.core.store.ReplicaStore;
import dev.shardkv.core.store.VerificationStore;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMapSource;
import dev.shardkv.core.topology.ShardSpec;
import dev.shardkv.core.topology.Topology;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds every component from the topology and the stores, the same way for the shard Lambda, the gateway
 * Lambda and the embedded runtime: table names come from the topology, settings from each runtime's
 * configuration, so nothing is wired twice.
 */
public final class Assembly {

    /**
     * @param tombstoneTtl     how long a delete's tombstone lives
     * @param unknownAfter     a replica's lag is unknown once nothing was applied for this long
     * @param delayWindow      the time span (a sliding window) the delay percentiles cover
     * @param watermarkRefresh how often the gateway asks the readers for watermarks (null: the replicators tell it)
     * @param writeThrottleLag writes to a shard are refused while a replica is further behind (zero: never)
     */
    public record Settings(Duration tombstoneTtl, Duration unknownAfter, Duration delayWindow, Duration watermarkRefresh,
            Duration writeThrottleLag) {
        public static final Duration DEFAULT_UNKNOWN_AFTER = Duration.ofSeconds(5);
        public static final Duration DEFAULT_DELAY_WINDOW = Duration.ofSeconds(60);
    }

    private final Topology topology;
    private final Stores stores;
    private final Clock clock;
    private final Settings settings;
    private ShardMapSource maps;
    private ReplicationTracker tracker;

    public Assembly(Topology topology, Stores stores, Clock clock, Settings settings) {
        this.topology = topology;
        this.stores = stores;
        this.clock = clock;
        this.settings = settings;
    }

    public Topology topology() {
        return topology;
    }

    /** The shard map from the control table (read once, then on demand). */
    public synchronized ShardMapSource maps() {
        if (maps == null) {
            maps = ShardMapSource.load(stores.control(topology.controlTable()), topology);
        }
        return maps;
    }

    /** Writes the topology's map (epoch 1) when the control table has none, then reads it: for a fresh emulator. */
    public synchronized ShardMapSource seededMaps() {
        if (maps == null) {
            maps = ShardMapSource.seedAndLoad(stores.control(topology.controlTable()), topology);
        }
        return maps;
    }

    public synchronized ReplicationTracker tracker() {
        if (tracker == null) {
            tracker = new ReplicationTracker(clock, settings.unknownAfter(), settings.delayWindow());
        }
        return tracker;
    }

    /** The writer of a shard of the map, its tables as the map names them (a reshard's targets included). */
    public ShardWriter writer(ShardEntry shard) {
        return new ShardWriter(shard.id(), maps(), stores.leader(shard.leader()), clock, settings.tombstoneTtl(),
                stores.transactions());
    }

    public ShardReader reader(ShardEntry shard) {
        return new ShardReader(shard.id(), shard.replicas().stream().map(stores::replica).toList(), clock);
    }

    public Replicator replicator(ShardEntry shard, ReplicationListener listener) {
        return new Replicator(shard.id(), shard.replicas().stream().map(stores::replica).toList(), clock, listener);
    }

    public ShardWriter writer(String shard) {
        return new ShardWriter(known(shard), maps(), leader(shard), clock, settings.tombstoneTtl(), stores.transactions());
    }

    public ShardReader reader(String shard) {
        return new ShardReader(known(shard), replicas(shard), clock);
    }

    public Replicator replicator(String shard, ReplicationListener listener) {
        return new Replicator(known(shard), replicas(shard), clock, listener);
    }

    public Coordinator coordinator() {
        return new Coordinator(maps(), stores.transactions(), clock, settings.tombstoneTtl());
    }

    /** Beats on every leader of the topology, staged shards' too (a split's or merge's targets need lag as well). */
    public Heartbeater heartbeater() {
        Map<String, LeaderStore> leaders = new LinkedHashMap<>();
        for (ShardSpec s : Stream.concat(topology.shards().stream(), topology.staged().stream()).toList()) {
            leaders.put(s.id(), leader(s.id()));
        }
        return new Heartbeater(leaders, clock);
    }

    /** The gateway, reaching the shard functions through {@code shards}. */
    public Gateway gateway(ShardClient shards) {
        return new Gateway(maps(), shards, tracker(), clock, settings.watermarkRefresh(), settings.writeThrottleLag(),
                verifications());
    }

    /** The control table: the shard map. */
    public ControlStore control() {
        return stores.control(topology.controlTable());
    }

    /** The splits and merges, in the topology's control table. */
    public OperationStore operations() {
        return stores.operations(topology.controlTable());
    }

    /** Each replica's last verification, in the topology's control table. */
    public VerificationStore verifications() {
        return stores.verifications(topology.controlTable());
    }

    public LeaderStore leader(ShardEntry shard) {
        return stores.leader(shard.leader());
    }

    public LeaderStore leader(String shard) {
        return stores.leader(topology.leaderTable(known(shard)));
    }

    public List<ReplicaStore> replicas(String shard) {
        return topology.replicaTables(known(shard)).stream().map(stores::replica).toList();
    }

    /** The shard, if the topology has it (fails clearly otherwise). */
    private String known(String shard) {
        topology.shard(shard);
        return shard;
    }
}
