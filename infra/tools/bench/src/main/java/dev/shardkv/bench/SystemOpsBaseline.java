package dev.shardkv.bench;

import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.dynamodb.DynamoLeaderStore;
import dev.shardkv.dynamodb.DynamoReplicaStore;
import dev.shardkv.dynamodb.TableProvisioner;
import dev.shardkv.embedded.DynamoDbLocal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The system's own DynamoDB operations, issued directly (no gateway, writer, pump or HTTP) in the same in-process
 * DynamoDB Local: the topology's tables as provisioned (leaders streaming NEW_AND_OLD_IMAGES, TTL), the client mix
 * on the workers (a write is the leader store's UpdateItem, a read an eventually consistent GetItem on a random
 * replica), and per leader a {@link ReplicationLoop}. What the system reaches against this is our overhead; what
 * this reaches against the plain PutItem/GetItem baseline is the emulator's cost of streams, conditions and replicas.
 */
final class SystemOpsBaseline {
    /**
     * The measured client operations, the worst replica's delay (commit ts to replica write) over the phase, and the
     * records replicas applied in it: below writes x replicas, replication fell behind and the count flatters this baseline.
     */
    record Result(Driver.Phase phase, double replicas, long delayP50Ms, long delayP99Ms, long applied) {
        /** Counted as LoadBench counts the system's: writes x (1 + replicas) + reads. */
        double opsPerSecond() {
            return phase.perSecond(phase.writes()) * (1 + replicas) + phase.perSecond(phase.reads());
        }
    }

    private static final String VALUE = "{\"n\":%d,\"pad\":\"0123456789abcdef0123456789abcdef\"}";

    private final Driver driver;
    private final Duration warmup;
    private final Duration duration;
    private final String[] keySpace;
    private final Topology topology;

    SystemOpsBaseline(Driver driver, Duration warmup, Duration duration, String[] keySpace, Topology topology) {
        this.driver = driver;
        this.warmup = warmup;
        this.duration = duration;
        this.keySpace = keySpace;
        this.topology = topology;
    }

    /** A shard's tables, as the writer and the readers reach them. */
    private record Tables(DynamoLeaderStore leader, List<DynamoReplicaStore> replicas) {
    }

    Result measure(double readRatio, double replicas) {
        try (DynamoDbLocal local = DynamoDbLocal.inProcess(null)) {
            ShardMap map = ShardMap.initial(topology);
            new TableProvisioner(local.dynamo()).provision(topology);
            List<ShardEntry> entries = map.shards();
            List<Tables> shards = new ArrayList<>();
            for (ShardEntry e : entries) {
                shards.add(new Tables(new DynamoLeaderStore(local.dynamo(), e.leader()),
                        e.replicas().stream().map(t -> new DynamoReplicaStore(local.dynamo(), t)).toList()));
            }
            // Routed once up front: the workers should cost DynamoDB's time, not ours.
            Tables[] owner = new Tables[keySpace.length];
            for (int i = 0; i < keySpace.length; i++) {
                owner[i] = shards.get(entries.indexOf(map.route(keySpace[i])));
            }
            List<ReplicationLoop> loops = new ArrayList<>();
            try {
                TableProvisioner tables = new TableProvisioner(local.dynamo());
                for (int s = 0; s < entries.size(); s++) {
                    loops.add(new ReplicationLoop(entries.get(s).leader(), local.streams(),
                            tables.streamArn(entries.get(s).leader()), shards.get(s).replicas()).start());
                }
                // One put per key while replication runs, as load fills the system before its warm-up.
                for (int i = 0; i < keySpace.length; i++) {
                    owner[i].leader().put(keySpace[i], VALUE.formatted(0), System.currentTimeMillis(), Precondition.NONE);
                }
                driver.drive(warmup, i -> { }, (worker, n) -> request(owner, readRatio, n, null));
                loops.forEach(ReplicationLoop::startMeasuring);
                Driver.Phase phase = driver.measure(duration, (worker, n, stats) -> request(owner, readRatio, n, stats));
                long p50 = 0;
                long p99 = 0;
                long applied = 0;
                for (ReplicationLoop loop : loops) {
                    applied += loop.applied();
                    for (Stats d : loop.delays()) {
                        p50 = Math.max(p50, Math.round(d.percentileMillis(50)));
                        p99 = Math.max(p99, Math.round(d.percentileMillis(99)));
                    }
                }
                return new Result(phase, replicas, p50, p99, applied);
            } finally {
                loops.forEach(ReplicationLoop::close);
            }
        }
    }

    private void request(Tables[] owner, double readRatio, long n, Stats stats) {
        int k = ThreadLocalRandom.current().nextInt(keySpace.length);
        boolean read = ThreadLocalRandom.current().nextDouble() < readRatio;
        Tables shard = owner[k];
        long start = System.nanoTime();
        try {
            if (read && shard.replicas().isEmpty()) {
                shard.leader().get(keySpace[k]); // no replica: the system reads the leader
            } else if (read) {
                shard.replicas().get(ThreadLocalRandom.current().nextInt(shard.replicas().size())).get(keySpace[k]);
            } else {
                shard.leader().put(keySpace[k], VALUE.formatted(n), System.currentTimeMillis(), Precondition.NONE);
            }
            if (stats != null) {
                stats.recordMicros((System.nanoTime() - start) / 1_000);
                (read ? driver.reads : driver.writes).increment();
            }
        } catch (RuntimeException e) {
            driver.errors.increment();
        }
    }
}
