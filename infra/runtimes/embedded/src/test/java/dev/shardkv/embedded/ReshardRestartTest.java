package dev.shardkv.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.gateway.ReadOptions;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.reshard.OperationState;
import dev.shardkv.core.reshard.Resharder;
import dev.shardkv.core.reshard.SplitRequest;
import dev.shardkv.core.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runtime stopped in the middle of a split's copy starts again from its data directory and finishes
 * the split from where the copy had got to, not from the start; the map never mixes epochs.
 */
@Timeout(180)
class ReshardRestartTest {
    private static final int KEYS = 160;

    private static boolean tableExists(EmbeddedCluster cluster, String table) {
        try {
            cluster.dynamo().describeTable(b -> b.tableName(table));
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
            return false;
        }
    }

    @Test
    void aSplitStoppedMidCopyResumesOnRestart(@TempDir Path dir) throws Exception {
        Topology topology = Topology.fromClasspath("topology-test.json");
        // Small pages, saved often: the copy takes many saves, so the stop falls inside it.
        Resharder.Settings slow = new Resharder.Settings(2, 4, Duration.ofSeconds(2), 3, Duration.ofMillis(50),
                Duration.ofMillis(20), Duration.ofSeconds(60), Duration.ofMillis(200), Duration.ofSeconds(60));
        EmbeddedCluster.Settings settings = EmbeddedCluster.Settings.defaults(topology).withDataDir(dir).withReshard(slow);
        List<String> keys = new ArrayList<>();
        Operation stopped;
        try (EmbeddedCluster first = EmbeddedCluster.start(settings)) {
            for (int i = 0; i < KEYS; i++) {
                String key = (char) ('a' + i % 12) + "-" + i;
                first.gateway().put(key, "{\"i\":" + i + "}", Precondition.NONE, ConsistencyToken.EMPTY);
                keys.add(key);
            }
            Operation split = first.reshards().split(new SplitRequest("a-l", "g", null));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (first.reshards().get(split.id()).progress().copied() < KEYS / 4 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            stopped = first.reshards().get(split.id());
        }
        assertThat(stopped.state()).as("stopped while copying").isEqualTo(OperationState.COPYING);
        assertThat(stopped.progress().copied()).isBetween((long) KEYS / 4, (long) KEYS - 1);

        try (EmbeddedCluster second = EmbeddedCluster.start(settings)) {
            Operation atRestart = second.reshards().get(stopped.id());
            assertThat(atRestart.progress().copied()).as("the copy goes on from its last save")
                    .isGreaterThanOrEqualTo(stopped.progress().copied());
            Operation done = ReshardHistoryTest.awaitEnd(second.reshards(), atRestart);
            assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(OperationState.DONE);
            assertThat(done.progress().copied()).as("not copied again from the start")
                    .isLessThan(KEYS + KEYS / 4);
            assertThat(ReshardHistoryTest.awaitEpoch(second, 2)).as("every cache moves to the new map within its max age").isEqualTo(2);
            ReshardHistoryTest.assertOnItsShardOnly(second, keys);
            for (int i = 0; i < KEYS; i++) {
                assertThat(second.gateway().get(keys.get(i), ReadOptions.STRONG).item().value()).isEqualTo("{\"i\":" + i + "}");
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (tableExists(second, "test-a-l-leader") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(tableExists(second, "test-a-l-leader")).as("the source retired after its grace").isFalse();
            assertThat(tableExists(second, "test-a-l-replica-2")).isFalse();
        }
    }
}
