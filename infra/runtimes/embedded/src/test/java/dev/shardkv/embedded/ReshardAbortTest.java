package dev.shardkv.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.reshard.OperationState;
import dev.shardkv.core.reshard.Resharder;
import dev.shardkv.core.reshard.SplitRequest;
import dev.shardkv.core.store.Fence;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.dynamodb.DynamoLeaderStore;
import dev.shardkv.dynamodb.DynamoOperationStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * An operation aborted while it copies: it ends aborted, the map stays where it was, the targets' tables
 * are gone, the source takes writes, and its shard is free for the next operation; a done one cannot be.
 */
@Timeout(120)
class ReshardAbortTest {

    @Test
    void anAbortBeforeTheCutoverLeavesTheMapAndDropsTheTargets() throws Exception {
        Topology topology = Topology.fromClasspath("topology-test.json");
        Resharder.Settings slow = Resharder.Settings.DEFAULT.withPageSize(2);
        try (EmbeddedCluster cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(topology).withReshard(slow))) {
            for (int i = 0; i < 1_000; i++) { // enough pages of 2 that the abort meets the copy
                cluster.gateway().put((char) ('a' + i % 12) + "-" + i, "1", Precondition.NONE, ConsistencyToken.EMPTY);
            }
            Operation split = cluster.reshards().split(new SplitRequest("a-l", "g", null));
            // Abort while it copies: the copied count shows only at a progress save (every 500 ms), by when a
            // fast machine may have copied everything and cut over, so this waits for the state alone.
            while (cluster.reshards().get(split.id()).state() != OperationState.COPYING) {
                Thread.sleep(1);
            }
            Operation aborted = cluster.reshards().abort(split.id());

            assertThat(aborted.state()).isEqualTo(OperationState.ABORTED);
            assertThat(cluster.reshards().get(split.id()).state()).isEqualTo(OperationState.ABORTED);
            assertThat(ReshardHistoryTest.awaitEpoch(cluster, 2)).as("the map never moved").isEqualTo(1);
            for (String table : List.of("test-a-f-leader", "test-g-l-leader", "test-a-f-replica-1")) {
                assertThat(catchThrowableOfType(ResourceNotFoundException.class,
                        () -> cluster.dynamo().describeTable(b -> b.tableName(table)))).as(table + " dropped").isNotNull();
            }
            DynamoLeaderStore source = new DynamoLeaderStore(cluster.dynamo(), "test-a-l-leader");
            assertThat(Fence.read(source).frozen()).isFalse();
            assertThat(cluster.gateway().put("alpha", "2", Precondition.NONE, ConsistencyToken.EMPTY).shard()).isEqualTo("a-l");

            ShardKvException again = catchThrowableOfType(ShardKvException.class, () -> cluster.reshards().abort(split.id()));
            assertThat(again.type()).isEqualTo(ProblemType.OPERATION_STATE);

            Operation next = ReshardHistoryTest.awaitEnd(cluster.reshards(),
                    cluster.reshards().split(new SplitRequest("a-l", "g", null)));
            assertThat(next.state()).as("the shard is free again: " + next.error()).isEqualTo(OperationState.DONE);
            ShardKvException done = catchThrowableOfType(ShardKvException.class, () -> cluster.reshards().abort(next.id()));
            assertThat(done.type()).as("a done operation cannot be aborted").isEqualTo(ProblemType.OPERATION_STATE);
        }
    }

    /** As the gateway on AWS asks it: a request in the control table, which the run reads at its next save. */
    @Test
    void anAbortAskedThroughTheStoreByAnotherProcessEndsTheRun() throws Exception {
        Topology topology = Topology.fromClasspath("topology-test.json");
        // Pages of 2, saved every 50 ms (when the run reads the request): the copy outlasts many saves.
        Resharder.Settings slow = new Resharder.Settings(2, 2, Duration.ofSeconds(2), 3, Duration.ofMillis(50),
                Duration.ofMillis(20), Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(60));
        try (EmbeddedCluster cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(topology).withReshard(slow))) {
            for (int i = 0; i < 600; i++) {
                cluster.gateway().put((char) ('a' + i % 12) + "-" + i, "1", Precondition.NONE, ConsistencyToken.EMPTY);
            }
            Operation split = cluster.reshards().split(new SplitRequest("a-l", "g", null));
            // Abort while it copies: the copied count shows only at a progress save (every 500 ms), by when a
            // fast machine may have copied everything and cut over, so this waits for the state alone.
            while (cluster.reshards().get(split.id()).state() != OperationState.COPYING) {
                Thread.sleep(1);
            }
            new DynamoOperationStore(cluster.dynamo(), topology.controlTable()).requestAbort(split.id());

            Operation ended = ReshardHistoryTest.awaitEnd(cluster.reshards(), split);
            assertThat(ended.state()).isEqualTo(OperationState.ABORTED);
            assertThat(ReshardHistoryTest.awaitEpoch(cluster, 2)).as("the map never moved").isEqualTo(1);
            assertThat(catchThrowableOfType(ResourceNotFoundException.class,
                    () -> cluster.dynamo().describeTable(b -> b.tableName("test-a-f-leader")))).isNotNull();
        }
    }
}
