package dev.shardkv.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.replication.ApplyResult;
import dev.shardkv.core.replication.ChangeRecord;
import dev.shardkv.core.replication.ReplicationListener;
import dev.shardkv.core.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A virtual stream shard splits as a busy partition does on AWS: its lanes end once they have delivered what they hold,
 * and its children deliver nothing before that (parents before children), so a key's records keep their order across
 * the split. An ended lane no longer holds the replicas' frontier back, nor shows in their lanes.
 */
class VirtualShardsSplitTest {
    static final Topology TOPOLOGY = Topology.parse("""
            {"prefix":"split","routing":"range","shards":[{"id":"a-z","replicas":1}]}""");
    /** Shard 1 is slow: what it holds at the split reaches the replica 1.5 s after it was read. */
    static final VirtualShards.Shape SHAPE = new VirtualShards.Shape(2, 1, Map.of(1, Duration.ofMillis(1_500)));

    record Applied(String key, long version, ApplyResult result) {
    }

    @Test
    @Timeout(60)
    void aKeysRecordsKeepTheirOrderAcrossASplitAndTheEndedLanesStopCounting() throws Exception {
        String key = null;
        for (int i = 0; key == null; i++) {
            key = SHAPE.shardOf("k" + i) == 1 ? "k" + i : null;
        }
        List<Applied> applied = new CopyOnWriteArrayList<>();
        String watched = key;
        ReplicationListener listener = new ReplicationListener() {
            @Override
            public void applied(String shard, int replica, ChangeRecord record, ApplyResult result, long appliedAt) {
                if (record.key().equals(watched)) {
                    applied.add(new Applied(record.key(), record.item().version(), result));
                }
            }
        };
        EmbeddedCluster.Settings settings = EmbeddedCluster.Settings.defaults(TOPOLOGY)
                .withPump(StreamPump.Settings.DEFAULT.withShape(SHAPE)).withWriteThrottleLag(Duration.ZERO);
        try (EmbeddedCluster cluster = EmbeddedCluster.start(settings, listener)) {
            StreamPump pump = cluster.pump("a-z");
            assertThat(pump.openLanes()).containsExactly("vs0/0", "vs1/0");
            cluster.gateway().put(key, "1", Precondition.NONE, ConsistencyToken.EMPTY); // held 1.5 s in vs1/0
            Thread.sleep(300); // read by the pump, handed to the parent's lane
            pump.splitStreamShard(1);
            awaitLanes(pump, List.of("vs0/0", "vs1/0", "vs1a/0", "vs1b/0"));
            cluster.gateway().put(key, "2", Precondition.NONE, ConsistencyToken.EMPTY); // in a child: must wait for vs1/0

            long deadline = System.currentTimeMillis() + 10_000;
            while (applied.stream().noneMatch(a -> a.version() == 2) && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(applied).as("version 1 first, from the parent; then version 2, from a child")
                    .containsExactly(new Applied(key, 1, ApplyResult.APPLIED), new Applied(key, 2, ApplyResult.APPLIED));
            awaitLanes(pump, List.of("vs0/0", "vs1a/0", "vs1b/0"));
            // The replica's lanes are the open ones; its lag is theirs, not the ended parent's.
            deadline = System.currentTimeMillis() + 5_000;
            while (!cluster.tracker().status("a-z", 1).laneLagMs().keySet().equals(java.util.Set.of("vs0/0", "vs1a/0", "vs1b/0"))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(cluster.tracker().status("a-z", 1).laneLagMs()).containsOnlyKeys("vs0/0", "vs1a/0", "vs1b/0");
            Thread.sleep(1_000); // idle: every open lane is claimed caught up again and again
            assertThat(cluster.tracker().lag("a-z", 1).orElseThrow()).isLessThan(1_000);
        }
    }

    private static void awaitLanes(StreamPump pump, List<String> lanes) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!pump.openLanes().equals(new java.util.TreeSet<>(lanes)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(pump.openLanes()).containsExactlyInAnyOrderElementsOf(lanes);
    }
}
