package dev.shardkv.core.reshard;

import static dev.shardkv.core.reshard.Fixtures.RANGE;
import static dev.shardkv.core.reshard.Fixtures.assertCovers;
import static dev.shardkv.core.reshard.Fixtures.ids;
import static dev.shardkv.core.reshard.Fixtures.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.Topology;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Splits under range routing that go through: ranges, tables, the next map, the ids. */
class SplitTest {
    private final ReshardPlanner planner = new ReshardPlanner(RANGE);

    @Test
    void theReadmeExampleSplitsAToLAtG() {
        ShardMap before = map(RANGE);
        Reshard plan = planner.split(before, new SplitRequest("a-l", "g", null));

        assertThat(plan.kind()).isEqualTo(OperationKind.SPLIT);
        assertThat(plan.sources()).containsExactly(before.shard("a-l").orElseThrow());
        assertThat(plan.targets()).containsExactly(
                new ShardEntry("a-f", null, "g", "test-a-f-leader", List.of("test-a-f-replica-1", "test-a-f-replica-2")),
                new ShardEntry("g-l", "g", "m", "test-g-l-leader", List.of("test-g-l-replica-1", "test-g-l-replica-2")));

        ShardMap next = plan.next();
        assertThat(next.epoch()).isEqualTo(2);
        assertThat(next.routing()).isEqualTo(before.routing());
        assertThat(ids(next.shards())).containsExactly("a-f", "g-l", "m-s", "t-z");
        assertThat(next.shards().subList(2, 4)).isEqualTo(before.shards().subList(1, 3));
        assertThat(next.successors()).isEqualTo(Map.of("a-l", List.of("a-f", "g-l")));
        assertCovers(next);
        assertThat(before.epoch()).as("the current map is left as it was").isEqualTo(1);
    }

    @Test
    void theNextMapRoutesEachKeyToTheHalfThatHoldsIt() {
        ShardMap next = planner.split(map(RANGE), new SplitRequest("a-l", "g", null)).next();
        assertThat(next.route("alpha").id()).isEqualTo("a-f");
        assertThat(next.route("Fox").id()).isEqualTo("a-f");
        assertThat(next.route("g").id()).as("at is the first key of the right half").isEqualTo("g-l");
        assertThat(next.route("hotel").id()).isEqualTo("g-l");
        assertThat(next.route("mike").id()).isEqualTo("m-s");
    }

    @Test
    void defaultIdsNameTheHalvesAfterTheCharacterBeforeAt() {
        Reshard plan = planner.split(map(RANGE), new SplitRequest("m-s", "p", null));
        assertThat(ids(plan.targets())).containsExactly("m-o", "p-s");
        assertThat(plan.targets()).allSatisfy(t -> assertThat(t.replicaCount()).as("the source's").isEqualTo(3));
        assertThat(plan.targets().get(0).start()).isEqualTo("m");
        assertThat(plan.targets().get(1).end()).isEqualTo("t");

        assertThat(ids(planner.split(map(RANGE), new SplitRequest("t-z", "x", null)).targets()))
                .containsExactly("t-w", "x-z");
        assertThat(ids(planner.split(map(RANGE), new SplitRequest("a-l", "1", null)).targets()))
                .as("'0' precedes '1'").containsExactly("a-0", "1-l");
    }

    @Test
    void defaultIdsAreNumberedWhenTheyCannotBeNamedAfterAt() {
        ShardMap map = map(RANGE);
        assertThat(ids(planner.split(map, new SplitRequest("a-l", "gh", null)).targets()))
                .as("at longer than one character").containsExactly("a-l-1", "a-l-2");
        assertThat(ids(planner.split(map, new SplitRequest("a-l", "a", null)).targets()))
                .as("the character before 'a' is no id character").containsExactly("a-l-1", "a-l-2");
        assertThat(ids(planner.split(map, new SplitRequest("a-l", "0", null)).targets()))
                .as("nor is the one before '0'").containsExactly("a-l-1", "a-l-2");
        assertThat(ids(planner.split(map, new SplitRequest("a-l", ":", null)).targets()))
                .as("\":-l\" would break the id rule").containsExactly("a-l-1", "a-l-2");

        Topology odd = Topology.parse("""
                {"prefix": "p", "shards": [{"id": "all", "replicas": 1}]}""");
        assertThat(ids(new ReshardPlanner(odd).split(map(odd), new SplitRequest("all", "g", null)).targets()))
                .as("an id without one '-' between two parts").containsExactly("all-1", "all-2");
    }

    @Test
    void requestedIdsAreUsedInOrderLeftThenRight() {
        Reshard plan = planner.split(map(RANGE), new SplitRequest("a-l", "g", List.of("left", "right")));
        assertThat(plan.targets()).extracting(ShardEntry::id, ShardEntry::start, ShardEntry::end)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("left", null, "g"),
                        org.assertj.core.groups.Tuple.tuple("right", "g", "m"));
        assertThat(plan.targets().get(0).leader()).isEqualTo("test-left-leader");
        assertThat(plan.next().successors()).isEqualTo(Map.of("a-l", List.of("left", "right")));
    }

    @Test
    void aSplitOfASplitHalfCarriesTheLineageForward() {
        ShardMap epoch2 = planner.split(map(RANGE), new SplitRequest("a-l", "g", null)).next();
        ShardMap epoch3 = planner.split(epoch2, new SplitRequest("g-l", "j", null)).next();
        assertThat(epoch3.epoch()).isEqualTo(3);
        assertThat(ids(epoch3.shards())).containsExactly("a-f", "g-i", "j-l", "m-s", "t-z");
        assertThat(epoch3.successors()).containsExactly(
                Map.entry("a-l", List.of("a-f", "g-l")), Map.entry("g-l", List.of("g-i", "j-l")));
        assertThat(ids(epoch3.owners("a-l"))).containsExactly("a-f", "g-i", "j-l");
        assertCovers(epoch3);
    }

    @Test
    void aRetiredIdIsFreeAgain() {
        ShardMap epoch2 = planner.split(map(RANGE), new SplitRequest("a-l", "g", null)).next();
        Reshard plan = planner.split(epoch2, new SplitRequest("g-l", "j", List.of("a-l", "j-l")));
        assertThat(ids(plan.next().shards())).containsExactly("a-f", "a-l", "j-l", "m-s", "t-z");
        assertThat(ids(plan.next().owners("a-l")))
                .as("the reused id still leads to every range it ever held").containsExactly("a-f", "a-l", "j-l");
    }
}
