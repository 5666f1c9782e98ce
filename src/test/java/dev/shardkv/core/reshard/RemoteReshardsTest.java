package dev.shardkv.core.reshard;

import static dev.shardkv.core.reshard.Fixtures.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.testing.FakeControl;
import dev.shardkv.core.testing.MemoryOperations;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.Topology;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The admin side where another process runs operations: it stores, wakes, and asks; it never runs one. */
class RemoteReshardsTest {
    private static final Topology STAGED = Topology.parse("""
            {"prefix": "test", "shards": [
              {"id": "a-l", "end": "m", "replicas": 2},
              {"id": "m-s", "start": "m", "end": "t", "replicas": 3},
              {"id": "t-z", "start": "t", "replicas": 1}],
             "staged": [{"id": "a-f", "replicas": 2}, {"id": "g-l", "replicas": 2}, {"id": "t-v", "replicas": 2},
              {"id": "w-z", "replicas": 1}]}""");
    private final FakeControl control = new FakeControl(ShardMap.initial(STAGED));
    private final MemoryOperations operations = new MemoryOperations();
    private final AtomicInteger wakes = new AtomicInteger();
    private final RemoteReshards admin = new RemoteReshards(STAGED, control, operations, wakes::incrementAndGet,
            Clock.systemUTC(), Duration.ofMillis(600));

    @Test
    void aSplitOfStagedShardsIsStoredWithItsLocksAndWakesTheRunner() {
        Operation started = admin.split(new SplitRequest("a-l", "g", null));
        assertThat(started.state()).isEqualTo(OperationState.COPYING);
        assertThat(operations.get(started.id())).contains(started);
        assertThat(operations.locks()).containsKeys("a-l", "a-f", "g-l");
        assertThat(wakes).hasValue(1);
        assertThat(control.loadShardMap().orElseThrow().epoch()).as("nothing published").isEqualTo(1);
    }

    @Test
    void aTargetTheTopologyDoesNotStageIsRefusedAndNothingIsStored() {
        var refusal = refused(() -> admin.split(new SplitRequest("m-s", "p", null)),
                ProblemType.SHARD_NOT_PROVISIONED, 409);
        assertThat(refusal.detail()).isEqualTo("Shard \"m-o\" has no tables or functions yet: add {\"id\": \"m-o\","
                + " \"replicas\": 3} to \"staged\" in topology.json, run terraform apply, then start this again.");
        assertThat(operations.list()).isEmpty();
        assertThat(operations.locks()).isEmpty();
        assertThat(wakes).hasValue(0);
    }

    @Test
    void aTargetStagedWithOtherReplicasIsRefused() {
        // t-z has 1 replica, so its halves get 1; t-v is staged with 2.
        var refusal = refused(() -> admin.split(new SplitRequest("t-z", "w", null)),
                ProblemType.SHARD_NOT_PROVISIONED, 409);
        assertThat(refusal.detail()).contains("\"t-v\" is provisioned with 2 replicas but this operation gives it 1");
        assertThat(operations.list()).isEmpty();
    }

    @Test
    void aReplicaIsAddedOnlyOnceTerraformHasMadeItsTable() {
        var refusal = refused(() -> admin.addReplica("a-l"), ProblemType.SHARD_NOT_PROVISIONED, 409);
        assertThat(refusal.detail()).isEqualTo("Shard \"a-l\" is provisioned with 2 replicas; table test-a-l-replica-3"
                + " does not exist yet: set \"replicas\": 3 for it in topology.json, run terraform apply, then start"
                + " this again.");
        assertThat(operations.list()).isEmpty();
        assertThat(wakes).hasValue(0);

        // Applied with 3 replicas while the map still serves 2: the third is added online.
        Topology applied = Topology.parse(STAGED.toJson().replace("{\"id\":\"a-l\",\"end\":\"m\",\"replicas\":2}",
                "{\"id\":\"a-l\",\"end\":\"m\",\"replicas\":3}"));
        assertThat(applied.shard("a-l").replicas()).isEqualTo(3);
        RemoteReshards after = new RemoteReshards(applied, control, operations, wakes::incrementAndGet,
                Clock.systemUTC(), Duration.ofMillis(600));
        Operation started = after.addReplica("a-l");
        assertThat(started.kind()).isEqualTo(OperationKind.ADD_REPLICA);
        assertThat(started.replicaTable()).isEqualTo("test-a-l-replica-3");
        assertThat(operations.locks()).containsOnlyKeys("a-l");
        assertThat(wakes).hasValue(1);

        Operation removing = admin.removeReplica("m-s", 3); // removing needs nothing from Terraform first
        assertThat(removing.state()).isEqualTo(OperationState.CUTTING_OVER);
        assertThat(wakes).hasValue(2);
    }

    @Test
    void anAbortIsARequestTheRunnerEndsAndTheAnswerWaitsForIt() throws Exception {
        Operation started = admin.split(new SplitRequest("a-l", "g", null));
        Thread runner = Thread.ofVirtual().start(() -> { // the resharder: reads the request at its next save
            while (!operations.abortRequested(started.id())) {
                Thread.onSpinWait();
            }
            operations.save(operations.get(started.id()).orElseThrow().abort(System.currentTimeMillis()));
        });
        Operation aborted = admin.abort(started.id());
        runner.join();
        assertThat(aborted.state()).isEqualTo(OperationState.ABORTED);
        assertThat(wakes).hasValue(2);
    }

    @Test
    void anAbortTheRunnerHasNotEndedYetAnswersTheOperationAsItIs() {
        Operation started = admin.split(new SplitRequest("a-l", "g", null));
        Operation asked = admin.abort(started.id());
        assertThat(asked.state()).isEqualTo(OperationState.COPYING);
        assertThat(operations.abortRequested(started.id())).isTrue();
    }

    @Test
    void anAbortFromTheCutoverOnIsRefused() {
        Operation started = admin.split(new SplitRequest("a-l", "g", null));
        Operation cutting = started;
        while (cutting.state() != OperationState.CUTTING_OVER) {
            cutting = operations.save(cutting.advance(System.currentTimeMillis()));
        }
        refused(() -> admin.abort(started.id()), ProblemType.OPERATION_STATE, 409);
        assertThat(operations.abortRequested(started.id())).isFalse();
        assertThat(List.of(wakes.get())).containsExactly(1);
    }
}
