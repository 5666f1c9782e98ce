package dev.shardkv.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.topology.Topology;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An idle replica's lag comes from its pump reading the stream to its end, not from heartbeats: with one
 * heartbeat a minute, the lag of an idle shard's replicas stays near the idle poll interval; with the pump
 * stopped (the replicator "down"), nothing claims it and the lag grows as it must.
 */
class IdleLagTest {
    static EmbeddedCluster cluster;

    @BeforeAll
    static void start() {
        cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(Topology.fromClasspath("topology-test.json"))
                .withHeartbeat(Duration.ofMinutes(1), Duration.ofSeconds(30)));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void anIdleReplicaLagsAboutOneIdlePollWithoutHeartbeatsAndMoreOnceItsPumpStops() throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (cluster.tracker().lag("a-l", 1).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50); // the first heartbeat, written at start, reaches the replica
        }
        long worst = 0;
        for (int i = 0; i < 40; i++) { // 4 s idle: without the pump's claims the lag would pass 4 s
            Thread.sleep(100);
            for (int replica = 1; replica <= 2; replica++) {
                OptionalLong lag = cluster.tracker().lag("a-l", replica);
                assertThat(lag).as("replica %d's lag", replica).isPresent();
                worst = Math.max(worst, lag.getAsLong());
            }
        }
        assertThat(worst).isLessThan(2_000);

        cluster.pump("a-l").pause();
        Thread.sleep(3_000);
        assertThat(cluster.tracker().lag("a-l", 1).orElseThrow()).isGreaterThanOrEqualTo(2_500);
        cluster.pump("a-l").resume();
        deadline = System.currentTimeMillis() + 5_000;
        while (cluster.tracker().lag("a-l", 1).orElseThrow() > 1_000 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(cluster.tracker().lag("a-l", 1).orElseThrow()).isLessThanOrEqualTo(1_000);
    }
}
