package dev.shardkv.core.reshard;

import static dev.shardkv.core.reshard.Fixtures.RANGE;
import static dev.shardkv.core.reshard.Fixtures.ids;
import static dev.shardkv.core.reshard.Fixtures.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import java.util.LinkedHashMap;
import dev.shardkv.core.consistency.ConsistencyToken;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The successors a reshard records, so that tokens naming retired shards still find their writes. */
class LineageTest {
    private final ReshardPlanner planner = new ReshardPlanner(RANGE);

    @Test
    void aSplitThenAMergeResolvesTransitively() {
        ShardMap epoch2 = planner.split(map(RANGE), new SplitRequest("a-l", "g", null)).next();
        ShardMap epoch3 = planner.merge(epoch2, new MergeRequest(List.of("g-l", "m-s"), null)).next();

        assertThat(ids(epoch3.shards())).containsExactly("a-f", "g-s", "t-z");
        assertThat(epoch3.successors()).containsExactly(Map.entry("a-l", List.of("a-f", "g-l")),
                Map.entry("g-l", List.of("g-s")), Map.entry("m-s", List.of("g-s")));
        assertThat(ids(epoch3.owners("a-l"))).as("a-l -> a-f, g-l -> g-s").containsExactly("a-f", "g-s");
        assertThat(ids(epoch3.owners("g-l"))).containsExactly("g-s");
        assertThat(ids(epoch3.owners("m-s"))).containsExactly("g-s");
        assertThat(ids(epoch3.owners("a-f"))).as("a live shard owns itself").containsExactly("a-f");
        assertThat(epoch3.owners("q-r")).as("never a shard here").isEmpty();
        assertThat(epoch3.owners(null)).isEmpty();
    }

    @Test
    void mergingBackUnderTheOldIdLeavesNoLoopUnresolved() {
        ShardMap epoch2 = planner.split(map(RANGE), new SplitRequest("a-l", "g", null)).next();
        ShardMap epoch3 = planner.merge(epoch2, new MergeRequest(List.of("a-f", "g-l"), null)).next();
        for (String id : List.of("a-l", "a-f", "g-l")) {
            assertThat(ids(epoch3.owners(id))).as(id).containsExactly("a-l");
        }
        ShardMap epoch4 = planner.split(epoch3, new SplitRequest("a-l", "c", List.of("a-b", "c-l"))).next();
        assertThat(epoch4.successors().get("a-l")).as("every successor a-l ever had")
                .containsExactly("a-f", "g-l", "a-b", "c-l");
        assertThat(ids(epoch4.owners("g-l"))).containsExactly("a-b", "c-l");
        assertThat(epoch4.successors().keySet()).as("re-retired a-l is the newest entry")
                .containsExactly("a-f", "g-l", "a-l");
    }

    @Test
    void theLineageKeepsTheNewestEntriesUpToItsCap() {
        Map<String, List<String>> full = new LinkedHashMap<>();
        for (int i = 0; i < Lineage.MAX_ENTRIES; i++) {
            full.put("old-" + i, List.of("x"));
        }
        ShardEntry source = Fixtures.map(RANGE).shard("a-l").orElseThrow();
        ShardEntry target = new ShardEntry("a-x", null, "m", "l", List.of());
        Map<String, List<String>> after = Lineage.after(full, List.of(source), List.of(target));

        assertThat(after).hasSize(Lineage.MAX_ENTRIES);
        assertThat(after).doesNotContainKey("old-0").containsKey("old-1");
        assertThat(after.keySet()).last().isEqualTo("a-l");
        assertThat(after.get("a-l")).containsExactly("a-x");
    }

    @Test
    void theCapHoldsAcrossManyReshards() {
        ShardMap map = map(RANGE);
        for (int i = 0; i < Lineage.MAX_ENTRIES + 20; i++) {
            String live = map.shards().getFirst().id();
            String other = map.shards().get(1).id();
            map = planner.merge(map, new MergeRequest(List.of(live, other), "m" + i)).next();
            map = planner.split(map, new SplitRequest("m" + i, "g", List.of("l" + i, "r" + i))).next();
        }
        assertThat(map.successors()).hasSize(Lineage.MAX_ENTRIES);
        assertThat(map.epoch()).isEqualTo(1 + 2L * (Lineage.MAX_ENTRIES + 20));
        String newest = "m" + (Lineage.MAX_ENTRIES + 19);
        assertThat(ids(map.owners(newest))).containsExactly("l" + (Lineage.MAX_ENTRIES + 19), "r" + (Lineage.MAX_ENTRIES + 19));
        assertThat(map.owners("a-l")).as("forgotten: the oldest entries went first").isEmpty();
    }

    @Test
    void aTokenNamingRetiredShardsCountsForTheirSuccessors() {
        ShardMap epoch2 = planner.split(map(RANGE), new SplitRequest("a-l", "g", null)).next();
        ShardMap epoch3 = planner.merge(epoch2, new MergeRequest(List.of("g-l", "m-s"), null)).next();
        ConsistencyToken token = new ConsistencyToken(Map.of("a-l", 100L, "m-s", 300L, "t-z", 50L, "q-r", 9L));

        ConsistencyToken resolved = token.resolve(epoch3);
        assertThat(resolved.commits()).as("the newest entry per live owner; a shard never known drops out")
                .containsExactlyInAnyOrderEntriesOf(Map.of("a-f", 100L, "g-s", 300L, "t-z", 50L));
    }
}
