package dev.shardkv.core.reshard;

import static dev.shardkv.core.reshard.Fixtures.HASH;
import static dev.shardkv.core.reshard.Fixtures.RANGE;
import static dev.shardkv.core.reshard.Fixtures.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.Topology;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A runtime that resumes plans again from what the operation keeps, and gets the plan it started with. */
class OperationReplanTest {
    private final Random random = new Random(9);

    private Operation start(Reshard plan) {
        return Operation.start(OperationIds.next(1_000, random), plan, 1_000);
    }

    private void assertReplans(Topology topology, Reshard plan) {
        Operation op = Operation.parse(start(plan).toJson());
        assertThat(op.replan(new ReshardPlanner(topology), map(topology))).isEqualTo(plan);
    }

    @Test
    void aRangeSplitWithDefaultIdsReplansTheSame() {
        assertReplans(RANGE, new ReshardPlanner(RANGE).split(map(RANGE), new SplitRequest("a-l", "g", null)));
        assertReplans(RANGE, new ReshardPlanner(RANGE).split(map(RANGE), new SplitRequest("t-z", "wolf", List.of("t", "w"))));
    }

    @Test
    void aHashSplitAtTheMiddleOrAtShortHexReplansTheSame() {
        assertReplans(HASH, new ReshardPlanner(HASH).split(map(HASH), new SplitRequest("40-7f", null, null)));
        assertReplans(HASH, new ReshardPlanner(HASH).split(map(HASH), new SplitRequest("80-ff", "A", null)));
    }

    @Test
    void aMergeNamedInEitherOrderReplansTheSame() {
        assertReplans(RANGE, new ReshardPlanner(RANGE).merge(map(RANGE), new MergeRequest(List.of("m-s", "a-l"), null)));
        assertReplans(HASH, new ReshardPlanner(HASH).merge(map(HASH), new MergeRequest(List.of("40-7f", "80-ff"), "x")));
    }

    @Test
    void onlyTheMapItWasPlannedOnWillDo() {
        Reshard plan = new ReshardPlanner(RANGE).split(map(RANGE), new SplitRequest("a-l", "g", null));
        Operation op = start(plan);
        assertThatThrownBy(() -> op.replan(new ReshardPlanner(RANGE), plan.next()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("epoch 1");
        ShardMap sameEpochOtherShards = new ShardMap(1, map(RANGE).routing(), plan.next().shards());
        assertThatThrownBy(() -> op.replan(new ReshardPlanner(RANGE), sameEpochOtherShards))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void theCutoverHasHappenedWhenTheMapHasEveryTarget() {
        ReshardPlanner planner = new ReshardPlanner(RANGE);
        Reshard plan = planner.split(map(RANGE), new SplitRequest("a-l", "g", null));
        Operation op = start(plan);
        assertThat(op.isCutOver(map(RANGE))).isFalse();
        assertThat(op.isCutOver(plan.next())).isTrue();
        ShardMap later = planner.split(plan.next(), new SplitRequest("t-z", "w", null)).next();
        assertThat(op.isCutOver(later)).as("another shard's reshard after it").isTrue();
    }
}
