package dev.shardkv.core.reshard;

import static dev.shardkv.core.reshard.Fixtures.RANGE;
import static dev.shardkv.core.reshard.Fixtures.WHOLE;
import static dev.shardkv.core.reshard.Fixtures.assertCovers;
import static dev.shardkv.core.reshard.Fixtures.ids;
import static dev.shardkv.core.reshard.Fixtures.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Merges that go through: the merged range, its tables and replicas, the next map, the id. */
class MergeTest {
    private final ReshardPlanner planner = new ReshardPlanner(RANGE);

    @Test
    void mergingTheHalvesBackGivesTheOriginalShard() {
        ShardMap epoch1 = map(RANGE);
        ShardMap epoch2 = planner.split(epoch1, new SplitRequest("a-l", "g", null)).next();
        Reshard plan = planner.merge(epoch2, new MergeRequest(List.of("a-f", "g-l"), null));

        assertThat(plan.kind()).isEqualTo(OperationKind.MERGE);
        assertThat(ids(plan.sources())).containsExactly("a-f", "g-l");
        assertThat(plan.targets()).containsExactly(
                new ShardEntry("a-l", null, "m", "test-a-l-leader", List.of("test-a-l-replica-1", "test-a-l-replica-2")));
        ShardMap epoch3 = plan.next();
        assertThat(epoch3.epoch()).isEqualTo(3);
        assertThat(epoch3.shards()).as("the same shards and tables as epoch 1").isEqualTo(epoch1.shards());
        assertThat(epoch3.successors()).containsExactly(Map.entry("a-l", List.of("a-f", "g-l")),
                Map.entry("a-f", List.of("a-l")), Map.entry("g-l", List.of("a-l")));
    }

    @Test
    void theShardsMayBeNamedInEitherOrder() {
        ShardMap epoch2 = planner.split(map(RANGE), new SplitRequest("a-l", "g", null)).next();
        Reshard forward = planner.merge(epoch2, new MergeRequest(List.of("a-f", "g-l"), null));
        Reshard backward = planner.merge(epoch2, new MergeRequest(List.of("g-l", "a-f"), null));
        assertThat(backward.targets()).isEqualTo(forward.targets());
        assertThat(ids(backward.sources())).as("in range order").containsExactly("a-f", "g-l");
        assertThat(backward.next().shards()).isEqualTo(forward.next().shards());
    }

    @Test
    void theMergedShardHasTheLargerReplicaCountAndTheDefaultIdXW() {
        Reshard plan = planner.merge(map(RANGE), new MergeRequest(List.of("m-s", "a-l"), null));
        ShardEntry merged = plan.targets().getFirst();
        assertThat(merged.id()).isEqualTo("a-s");
        assertThat(merged.start()).isNull();
        assertThat(merged.end()).isEqualTo("t");
        assertThat(merged.replicas()).as("max(2, 3)")
                .containsExactly("test-a-s-replica-1", "test-a-s-replica-2", "test-a-s-replica-3");
        assertThat(ids(plan.next().shards())).containsExactly("a-s", "t-z");
        assertThat(plan.next().successors()).isEqualTo(Map.of("a-l", List.of("a-s"), "m-s", List.of("a-s")));
        assertThat(plan.next().route("mike").id()).isEqualTo("a-s");
        assertCovers(plan.next());

        ShardEntry last = planner.merge(map(RANGE), new MergeRequest(List.of("m-s", "t-z"), null)).targets().getFirst();
        assertThat(last.id()).isEqualTo("m-z");
        assertThat(last.end()).as("the second's end, unbounded").isNull();
        assertThat(last.replicaCount()).isEqualTo(3);
    }

    @Test
    void aRequestedIdIsUsed() {
        Reshard plan = planner.merge(map(RANGE), new MergeRequest(List.of("a-l", "m-s"), "front"));
        assertThat(plan.targets().getFirst().leader()).isEqualTo("test-front-leader");
        assertThat(ids(plan.next().shards())).containsExactly("front", "t-z");
    }

    @Test
    void mergingTheNumberedHalvesOfASplitGivesBackItsId() {
        ReshardPlanner whole = new ReshardPlanner(WHOLE);
        ShardMap halves = whole.split(map(WHOLE), new SplitRequest("all", null, null)).next();
        Reshard plan = whole.merge(halves, new MergeRequest(List.of("all-2", "all-1"), null));
        assertThat(plan.targets()).containsExactly(map(WHOLE).shards().getFirst());
        assertThat(ids(plan.next().owners("all-1"))).containsExactly("all");
    }

    @Test
    void idsOfNoKnownFormAreJoined() {
        ReshardPlanner whole = new ReshardPlanner(WHOLE);
        ShardMap halves = whole.split(map(WHOLE), new SplitRequest("all", "4", List.of("low", "high"))).next();
        Reshard plan = whole.merge(halves, new MergeRequest(List.of("high", "low"), null));
        assertThat(plan.targets().getFirst().id()).as("first in range order").isEqualTo("low-high");
        assertThat(plan.targets().getFirst().start()).isNull();
        assertThat(plan.targets().getFirst().end()).isNull();
    }

    @Test
    void anOuterIdThatIsOneOfTheTwoIsNoDefault() {
        ShardMap named = planner.split(map(RANGE), new SplitRequest("a-l", "g", List.of("a-x", "x-l"))).next();
        assertThat(planner.merge(named, new MergeRequest(List.of("a-x", "x-l"), null)).targets().getFirst().id())
                .isEqualTo("a-l");
        ShardMap odd = planner.split(map(RANGE), new SplitRequest("a-l", "g", List.of("a-b", "c-b"))).next();
        assertThat(planner.merge(odd, new MergeRequest(List.of("a-b", "c-b"), null)).targets().getFirst().id())
                .as("\"a-b\" would reuse the first's tables").isEqualTo("a-b-c-b");
    }
}
