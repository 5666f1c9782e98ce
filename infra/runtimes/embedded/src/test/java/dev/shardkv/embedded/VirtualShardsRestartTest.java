package dev.shardkv.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With virtual stream shards, the stream position moves past a batch only once every lane has delivered its part:
 * records a held-back shard still held at a restart are delivered after it, not skipped.
 */
class VirtualShardsRestartTest {
    static final Topology TOPOLOGY = Topology.parse("""
            {"prefix":"lanes","routing":"range","shards":[{"id":"a-z","replicas":1}]}""");
    static final VirtualShards.Shape HELD = new VirtualShards.Shape(2, 1, Map.of(1, Duration.ofMinutes(5)));

    @Test
    @Timeout(120)
    void recordsAHeldBackShardHeldAtARestartAreDeliveredAfterIt(@TempDir Path dir) throws Exception {
        List<String> held = new ArrayList<>();
        List<String> free = new ArrayList<>();
        for (int i = 0; held.size() < 5 || free.size() < 5; i++) {
            String key = "k" + i;
            List<String> lane = HELD.shardOf(key) == 1 ? held : free;
            if (lane.size() < 5) {
                lane.add(key);
            }
        }
        EmbeddedCluster.Settings settings = EmbeddedCluster.Settings.defaults(TOPOLOGY).withDataDir(dir)
                .withWriteThrottleLag(Duration.ZERO);
        String replica = TOPOLOGY.replicaTable("a-z", 1);
        try (EmbeddedCluster cluster = EmbeddedCluster.start(settings.withPump(StreamPump.Settings.DEFAULT.withShape(HELD)))) {
            for (int i = 0; i < 5; i++) { // interleaved, so that batches hold records of both lanes
                cluster.gateway().put(held.get(i), "{}", Precondition.NONE, ConsistencyToken.EMPTY);
                cluster.gateway().put(free.get(i), "{}", Precondition.NONE, ConsistencyToken.EMPTY);
            }
            awaitOnReplica(cluster, replica, free);
            assertThat(held).allSatisfy(k -> assertThat(cluster.stores().replica(replica).get(k)).isEmpty());
        }
        try (EmbeddedCluster cluster = EmbeddedCluster.start(settings)) { // the same stream, read as one lane
            awaitOnReplica(cluster, replica, held);
        }
    }

    private static void awaitOnReplica(EmbeddedCluster cluster, String replica, List<String> keys) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!keys.stream().allMatch(k -> cluster.stores().replica(replica).get(k).isPresent())) {
            assertThat(System.currentTimeMillis()).as("%s on %s", keys, replica).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
