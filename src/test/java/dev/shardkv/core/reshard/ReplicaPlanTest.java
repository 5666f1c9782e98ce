package dev.shardkv.core.reshard;

import static dev.shardkv.core.reshard.Fixtures.RANGE;
import static dev.shardkv.core.reshard.Fixtures.map;
import static dev.shardkv.core.reshard.Fixtures.refused;
import static dev.shardkv.core.reshard.OperationState.ABORTED;
import static dev.shardkv.core.reshard.OperationState.COPYING;
import static dev.shardkv.core.reshard.OperationState.CUTTING_OVER;
import static dev.shardkv.core.reshard.OperationState.DONE;
import static dev.shardkv.core.reshard.OperationState.FAILED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Replica changes planned: one shard's replicas, the next epoch, nothing else moved; and their phases. */
class ReplicaPlanTest {
    private final ReshardPlanner planner = new ReshardPlanner(RANGE);

    @Test
    void anAddedReplicaIsNumberedAfterTheLastAndOnlyItsShardChanges() {
        ShardMap map = map(RANGE);
        ShardEntry before = map.shard("a-l").orElseThrow();
        Reshard plan = planner.addReplica(map, "a-l");
        ShardEntry after = plan.targets().getFirst();
        assertThat(plan.kind()).isEqualTo(OperationKind.ADD_REPLICA);
        assertThat(plan.sources()).containsExactly(before);
        assertThat(after.replicas()).containsExactlyElementsOf(appended(before.replicas(),
                RANGE.replicaTable("a-l", before.replicaCount() + 1)));
        assertThat(List.of(after.id(), after.leader())).containsExactly(before.id(), before.leader());
        assertThat(plan.next().epoch()).isEqualTo(map.epoch() + 1);
        assertThat(plan.next().shards()).hasSameSizeAs(map.shards());
        assertThat(plan.next().shards()).filteredOn(s -> !s.id().equals("a-l"))
                .containsExactlyElementsOf(map.shards().stream().filter(s -> !s.id().equals("a-l")).toList());
        assertThat(plan.next().successors()).isEqualTo(map.successors());

        Operation op = Operation.start(OperationIds.next(1, new Random(1)), plan, 1);
        assertThat(op.state()).isEqualTo(COPYING);
        assertThat(op.replica()).isEqualTo(before.replicaCount() + 1);
        assertThat(op.shards()).as("it locks its one shard").containsExactly("a-l");
        assertThat(op.isCutOver(map)).isFalse();
        assertThat(op.isCutOver(plan.next())).isTrue();
        assertThat(Operation.parse(op.toJson())).isEqualTo(op);
        List<OperationState> seen = new ArrayList<>(List.of(op.state()));
        while (op.isActive()) {
            op = op.advance(op.updatedAt() + 1);
            seen.add(op.state());
        }
        assertThat(seen).as("the phases of a split").containsExactly(COPYING, OperationState.CATCHING_UP,
                OperationState.VERIFYING, CUTTING_OVER, DONE);
    }

    @Test
    void aRemovedReplicaIsTheLastAndItsOperationOnlyCutsOver() {
        ShardMap map = map(RANGE);
        ShardEntry before = map.shard("a-l").orElseThrow();
        int last = before.replicaCount();
        Reshard plan = planner.removeReplica(map, "a-l", last);
        assertThat(plan.kind()).isEqualTo(OperationKind.REMOVE_REPLICA);
        assertThat(plan.targets().getFirst().replicas()).containsExactlyElementsOf(before.replicas().subList(0, last - 1));
        Operation op = Operation.start(OperationIds.next(1, new Random(1)), plan, 1);
        assertThat(op.state()).isEqualTo(CUTTING_OVER);
        assertThat(op.replicaTable()).isEqualTo(before.replicas().getLast());
        assertThat(op.advance(2).state()).isEqualTo(DONE);
        assertThat(OperationKind.REMOVE_REPLICA.allows(CUTTING_OVER, ABORTED)).as("its map may be out").isFalse();
        assertThat(OperationKind.REMOVE_REPLICA.allows(CUTTING_OVER, FAILED)).isTrue();
        assertThat(OperationKind.REMOVE_REPLICA.allows(COPYING, OperationState.CATCHING_UP)).isFalse();
    }

    @Test
    void badReplicaChangesAreRefusedWithTheirProblem() {
        ShardMap map = map(RANGE);
        int count = map.shard("a-l").orElseThrow().replicaCount();
        refused(() -> planner.addReplica(map, "nope"), ProblemType.UNKNOWN_SHARD, 404);
        refused(() -> planner.addReplica(map, null), ProblemType.INVALID_RESHARD, 400);
        refused(() -> planner.removeReplica(map, "nope", 1), ProblemType.UNKNOWN_SHARD, 404);
        refused(() -> planner.removeReplica(map, "a-l", 0), ProblemType.UNKNOWN_REPLICA, 404);
        refused(() -> planner.removeReplica(map, "a-l", count + 1), ProblemType.UNKNOWN_REPLICA, 404);
        if (count > 1) {
            refused(() -> planner.removeReplica(map, "a-l", 1), ProblemType.INVALID_RESHARD, 400);
        }

        ShardMap one = new ShardMap(1, RANGE.routing(), map.shards().stream().map(s -> new ShardEntry(s.id(), s.start(),
                s.end(), s.leader(), s.replicas().subList(0, 1))).toList());
        assertThat(refused(() -> planner.removeReplica(one, "a-l", 1), ProblemType.INVALID_RESHARD, 400).getMessage())
                .contains("keeps at least one");

        List<String> tables = new ArrayList<>();
        for (int n = 1; n <= Topology.MAX_REPLICAS; n++) {
            tables.add(RANGE.replicaTable("a-l", n));
        }
        ShardEntry full = map.shard("a-l").orElseThrow();
        ShardMap most = new ShardMap(1, RANGE.routing(), map.shards().stream().map(s -> s.id().equals("a-l")
                ? new ShardEntry(full.id(), full.start(), full.end(), full.leader(), tables) : s).toList());
        assertThat(refused(() -> planner.addReplica(most, "a-l"), ProblemType.INVALID_RESHARD, 400).getMessage())
                .contains("the most a shard can have");
    }

    private static List<String> appended(List<String> list, String last) {
        List<String> copy = new ArrayList<>(list);
        copy.add(last);
        return copy;
    }
}
