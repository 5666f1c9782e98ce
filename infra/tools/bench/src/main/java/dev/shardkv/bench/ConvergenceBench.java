package dev.shardkv.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.gateway.WriteResult;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.ApplyResult;
import dev.shardkv.core.replication.ChangeRecord;
import dev.shardkv.core.replication.ReplicationListener;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.embedded.EmbeddedCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How long a write takes to reach every replica: N sequential writes through the gateway core, each
 * timed from the moment the write call starts to the moment the last replica of its shard applied it
 * (the replicator's own clock, the same one the delay metrics use).
 */
@Command(name = "convergence", mixinStandardHelpOptions = true,
        description = "Time from a write's start until every replica of its shard has applied it.")
final class ConvergenceBench implements Runnable {
    @Option(names = "--writes", defaultValue = "1000", description = "how many writes (default ${DEFAULT-VALUE})")
    int writes;

    @Option(names = "--topology", defaultValue = "topology.json", description = "topology file (default ${DEFAULT-VALUE})")
    Path topology;

    @Option(names = "--gap-ms", defaultValue = "5", description = "pause between writes, so they do not queue (default ${DEFAULT-VALUE})")
    long gapMs;

    @Mixin
    JsonOutput json;

    @Override
    public void run() {
        Topology t = Topology.load(topology);
        Map<String, Pending> pending = new ConcurrentHashMap<>();
        ReplicationListener listener = new ReplicationListener() {
            @Override
            public void applied(String shard, int replica, ChangeRecord record, ApplyResult result, long appliedAt) {
                Pending p = pending.get(record.key() + "#" + (record.item() == null ? -1 : record.item().version()));
                if (p != null && result == ApplyResult.APPLIED) {
                    p.reached(System.nanoTime());
                }
            }
        };
        try (EmbeddedCluster cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(t), listener)) {
            Thread.sleep(1_000); // let heartbeats make every replica healthy
            Stats toAll = new Stats();
            Stats ack = new Stats();
            long began = System.nanoTime();
            for (int i = 0; i < writes; i++) {
                String key = "conv-" + Integer.toString(i * 7919 % 26 + 10, 36) + "-" + i; // spread over all shards
                int replicas = cluster.shardMap().route(key).replicaCount();
                Pending p = new Pending(replicas);
                pending.put(key + "#1", p);
                long start = System.nanoTime();
                WriteResult w = cluster.gateway().put(key, "{\"i\":" + i + "}", Precondition.NONE, ConsistencyToken.EMPTY);
                ack.recordMicros((System.nanoTime() - start) / 1_000);
                StoredItem item = w.item();
                if (item.version() != 1 || !p.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(key + " did not reach all replicas within 10 s");
                }
                toAll.recordMicros((p.lastReached - start) / 1_000);
                pending.remove(key + "#1");
                Thread.sleep(gapMs);
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            List<Integer> replicaCounts = t.shards().stream().map(s -> s.replicas()).distinct().toList();
            if (json.on) {
                ObjectNode out = json.object().put("writes", writes).put("shards", t.shards().size());
                replicaCounts.forEach(out.putArray("replicas")::add);
                out.put("elapsedMs", Math.round(seconds * 1000));
                ack.json(out.putObject("acknowledged"));
                toAll.json(out.putObject("onEveryReplica")); // its p50Ms and maxMs are the text's median and worst
                json.print(out);
                return;
            }
            System.out.printf("convergence: %d sequential writes over %d shards x %s replicas in %.1f s%n", writes,
                    t.shards().size(), replicaCounts, seconds);
            System.out.println("  write acknowledged (leader):   " + ack.millis());
            System.out.println("  write on every replica:        " + toAll.millis());
            System.out.printf("  median %.1f ms, worst %.1f ms from write start to the last replica%n",
                    toAll.percentileMillis(50), toAll.maxMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Pending {
        final CountDownLatch latch;
        volatile long lastReached;

        Pending(int replicas) {
            this.latch = new CountDownLatch(replicas);
        }

        void reached(long nanos) {
            lastReached = Math.max(lastReached, nanos);
            latch.countDown();
        }

        boolean await(long time, TimeUnit unit) throws InterruptedException {
            return latch.await(time, unit);
        }
    }
}
