package dev.shardkv.local;

import dev.shardkv.core.gateway.LastVerifications;
import dev.shardkv.core.gateway.ShardLoad;
import dev.shardkv.core.replication.ApplyResult;
import dev.shardkv.core.replication.ChangeRecord;
import dev.shardkv.core.replication.ReplicationListener;
import dev.shardkv.core.replication.ReplicationTracker;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The replication and load metrics at {@code /q/metrics} (Prometheus), under the same names the
 * Lambdas send to CloudWatch: ReplicationDelayMs, ReplicaLagMs, ReplicatedRecords, ReplicationErrors,
 * HeartbeatAgeMs, ReplicaDivergentItems (tags shard, replica) and Reads, Writes, Throttles, ShardReadsPerSecond,
 * ShardWritesPerSecond, ShardHot (tag shard).
 *
 * <p>ReplicaDivergentItems is read at each scrape from the gateway's copy of the last verifications, the copy that
 * holds divergent replicas back from reads: the gauge shows what routing acts on, and, read from the control table,
 * it survives a restart with {@code --data-dir} (a listener told by the verification would start again at 0).
 */
final class MicrometerReplicationMetrics implements ReplicationListener {
    private final MeterRegistry registry;
    private final Map<String, DistributionSummary> delay = new ConcurrentHashMap<>();
    private final Map<String, Counter> records = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    /** Held here because meters hold the object they read only weakly: a collected one freezes its counters. */
    private Supplier<ShardLoad> load;
    private ReplicationTracker tracker;
    private dev.shardkv.core.gateway.WriteThrottle throttle;
    private Supplier<ShardMap> maps;
    private LastVerifications verifications;
    private final java.util.Set<String> metered = ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> meteredReplicas = ConcurrentHashMap.newKeySet(); // shard/replica
    private volatile long followedEpoch = -1;

    MicrometerReplicationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Gauges and counters read from the tracker and the gateway, once the shard map is known. */
    void bind(ShardMap map, ReplicationTracker tracker, Supplier<ShardLoad> load,
            dev.shardkv.core.gateway.WriteThrottle throttle, Supplier<ShardMap> maps, LastVerifications verifications) {
        this.verifications = verifications;
        this.load = load;
        this.tracker = tracker;
        this.throttle = throttle;
        this.maps = maps;
        follow(map);
    }

    /**
     * Registers the meters of the map's shards and replicas that have none yet: a reshard's new shards, a replica
     * added, once they are in the map. Removes those of shards and replicas the map no longer has (a retired shard, a
     * replica removed), so that no series goes on after its replica.
     */
    private synchronized void follow(ShardMap map) {
        forget(map);
        followedEpoch = map.epoch();
        for (ShardEntry shard : map.shards()) {
            for (int n = 1; n <= shard.replicaCount(); n++) {
                int replica = n;
                if (!meteredReplicas.add(shard.id() + "/" + replica)) {
                    continue;
                }
                // Counters exist from the start, so a dashboard shows 0 errors rather than no data.
                records(shard.id(), replica);
                errors(shard.id(), replica);
                Gauge.builder("HeartbeatAgeMs", () -> {
                    var age = tracker.status(shard.id(), replica).heartbeatAgeMs();
                    return age.isPresent() ? age.getAsLong() : Double.NaN; // unknown is not zero
                }).description("Age of the newest heartbeat applied on the replica (NaN: none yet)")
                        .tags("shard", shard.id(), "replica", "replica-" + replica).register(registry);
                Gauge.builder("ReplicaLagMs", () -> {
                    var lag = tracker.lag(shard.id(), replica);
                    return lag.isPresent() ? lag.getAsLong() : Double.NaN;
                }).description("The replica's lag: now - commit time of its newest applied record (NaN: unknown)")
                        .tags("shard", shard.id(), "replica", "replica-" + replica).register(registry);
                String table = shard.replicaTable(replica);
                Gauge.builder("ReplicaDivergentItems", () -> verifications.of(table).map(v -> v.unrepaired()).orElse(0L))
                        .description("Differences the replica's last verification left unrepaired (0: clean, or never "
                                + "verified); above 0 the replica serves no reads")
                        .tags("shard", shard.id(), "replica", "replica-" + replica).register(registry);
            }
            if (!metered.add(shard.id())) {
                continue;
            }
            FunctionCounter.builder("Reads", load, l -> l.get().of(shard.id()).reads())
                    .description("Reads routed to the shard").tags("shard", shard.id()).register(registry);
            FunctionCounter.builder("Writes", load, l -> l.get().of(shard.id()).writes())
                    .description("Writes routed to the shard").tags("shard", shard.id()).register(registry);
            FunctionCounter.builder("Throttles", load, l -> l.get().of(shard.id()).throttles())
                    .description("Throttled requests of the shard").tags("shard", shard.id()).register(registry);
            Gauge.builder("ShardReadsPerSecond", load, l -> l.get().rates(shard.id()).readsPerSecond())
                    .description("Reads per second routed to the shard over the last 10 s").tags("shard", shard.id())
                    .register(registry);
            Gauge.builder("ShardWritesPerSecond", load, l -> l.get().rates(shard.id()).writesPerSecond())
                    .description("Writes per second routed to the shard over the last 10 s").tags("shard", shard.id())
                    .register(registry);
            Gauge.builder("ShardHot", load, l -> l.get().report(maps.get()).stream()
                    .anyMatch(r -> r.shard().equals(shard.id()) && r.hot()) ? 1 : 0)
                    .description("1 while the shard is hot: at least 20 requests/s and twice the mean of the other shards")
                    .tags("shard", shard.id()).register(registry);
            FunctionCounter.builder("WritesThrottled", throttle, t -> t.state(shard).rejected())
                    .description("Writes refused because a replica of the shard was too far behind")
                    .tags("shard", shard.id()).register(registry);
            Gauge.builder("WriteThrottleActive", throttle, t -> t.state(shard).active() ? 1 : 0)
                    .description("1 while writes to the shard are refused for replica lag").tags("shard", shard.id())
                    .register(registry);
        }
    }

    /** Removes the meters of replicas and shards that are not in the map. */
    private void forget(ShardMap map) {
        java.util.Set<String> replicas = new java.util.HashSet<>();
        java.util.Set<String> shards = new java.util.HashSet<>();
        for (ShardEntry shard : map.shards()) {
            shards.add(shard.id());
            for (int n = 1; n <= shard.replicaCount(); n++) {
                replicas.add(shard.id() + "/" + n);
            }
        }
        for (String key : List.copyOf(meteredReplicas)) {
            if (!replicas.contains(key)) {
                meteredReplicas.remove(key);
                records.remove(key);
                errors.remove(key);
                delay.remove(key);
                String shard = key.substring(0, key.lastIndexOf('/'));
                String replica = "replica-" + key.substring(key.lastIndexOf('/') + 1);
                remove(m -> shard.equals(m.getId().getTag("shard")) && replica.equals(m.getId().getTag("replica")));
            }
        }
        for (String shard : List.copyOf(metered)) {
            if (!shards.contains(shard)) {
                metered.remove(shard);
                remove(m -> shard.equals(m.getId().getTag("shard")) && m.getId().getTag("replica") == null);
            }
        }
    }

    private void remove(java.util.function.Predicate<io.micrometer.core.instrument.Meter> which) {
        registry.getMeters().stream().filter(which).toList().forEach(registry::remove);
    }

    @Override
    public void applied(String shard, int replica, ChangeRecord record, ApplyResult result, long appliedAt) {
        String key = shard + "/" + replica;
        if (maps != null) {
            ShardMap map = maps.get();
            if (map.epoch() != followedEpoch || !meteredReplicas.contains(key)) {
                follow(map); // a new shard's or replica's records apply (heartbeats at least) before and after it joins the map
            }
            if (!meteredReplicas.contains(key)) {
                return; // not in the map (yet, or any more): its meters come and go with it
            }
        }
        records(shard, replica).increment();
        if (record.commitTs() >= 0 && result != ApplyResult.IGNORED) {
            delay.computeIfAbsent(key, k -> DistributionSummary.builder("ReplicationDelayMs")
                    .description("Per record, its delay: applied on the replica - committed on the leader, in ms")
                    .publishPercentiles(0.5, 0.9, 0.99)
                    .tags("shard", shard, "replica", "replica-" + replica).register(registry))
                    .record(Math.max(0, appliedAt - record.commitTs()));
        }
    }

    @Override
    public void failed(String shard, int replica, ChangeRecord record, Exception error) {
        if (maps != null && !meteredReplicas.contains(shard + "/" + replica)) {
            return; // as in applied: only the map's replicas have meters
        }
        errors(shard, replica).increment();
    }

    private Counter records(String shard, int replica) {
        return records.computeIfAbsent(shard + "/" + replica, k -> Counter.builder("ReplicatedRecords")
                .description("Stream records the replicator processed for the replica (applied or already there)")
                .tags("shard", shard, "replica", "replica-" + replica).register(registry));
    }

    private Counter errors(String shard, int replica) {
        return errors.computeIfAbsent(shard + "/" + replica, k -> Counter.builder("ReplicationErrors")
                .description("Records that failed to apply on the replica (each retry counts)")
                .tags("shard", shard, "replica", "replica-" + replica).register(registry));
    }
}
