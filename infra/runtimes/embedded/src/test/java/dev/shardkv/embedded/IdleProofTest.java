package dev.shardkv.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.consistency.ReadPlanner;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.topology.Topology;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With an idle proof, a pump that read its stream to the end keeps the replicas "caught up" without polling until a
 * write nudges it. That is only true if every write to the leader nudges, whoever makes it: here writes that bypass
 * the gateway (a leader store's put, a reshard copy's item write) must still reach the replicas before any watermark
 * claims them, by more than the margin a session read requires.
 */
class IdleProofTest {
    static EmbeddedCluster cluster;

    @BeforeAll
    static void start() {
        Topology topology = Topology.fromClasspath("topology-test.json");
        StreamPump.Settings pump = new StreamPump.Settings(100, Duration.ofMillis(50), 3, Duration.ofMillis(50),
                Duration.ofMillis(200), Duration.ofSeconds(30));
        cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(topology).withPump(pump)
                .withHeartbeat(Duration.ofMinutes(1), Duration.ofSeconds(30)));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aWriteThatBypassesTheGatewayStillEndsTheProofBeforeAWatermarkClaimsIt() throws Exception {
        String leader = cluster.topology().leaderTable("a-l");
        String replica = cluster.topology().replicaTable("a-l", 1);
        awaitKnownLag();
        for (int i = 0; i < 3; i++) {
            long ts = System.currentTimeMillis();
            String key = "apple-" + i;
            if (i % 2 == 0) {
                cluster.stores().leader(leader).put(key, "{\"n\":" + i + "}", ts, Precondition.NONE);
            } else { // as a split's copy writes its targets
                cluster.stores().replica(leader).apply(StoredItem.live(key, "{\"n\":" + i + "}", 1, ts));
            }
            Thread.sleep(ReadPlanner.SESSION_MARGIN_MS + 300); // past the margin: a claim now would cover the write
            Optional<Watermark> mark = cluster.tracker().watermark("a-l", 1);
            assertThat(mark).isPresent();
            assertThat(mark.orElseThrow().covers(ts + ReadPlanner.SESSION_MARGIN_MS + 1)).as("claimed").isTrue();
            assertThat(cluster.stores().replica(replica).get(key)).as("%s on the replica", key).isPresent();
        }
        // Idle, the proof stands without polls: the lag stays near one idle interval.
        Thread.sleep(1_500);
        assertThat(cluster.tracker().lag("a-l", 1).orElseThrow()).isLessThan(1_000);
    }

    private static void awaitKnownLag() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (cluster.tracker().lag("a-l", 1).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }
}
