package dev.shardkv.core.reshard;

import static dev.shardkv.core.reshard.Fixtures.HASH;
import static dev.shardkv.core.reshard.Fixtures.WHOLE;
import static dev.shardkv.core.reshard.Fixtures.assertCovers;
import static dev.shardkv.core.reshard.Fixtures.ids;
import static dev.shardkv.core.reshard.Fixtures.map;
import static dev.shardkv.core.reshard.Fixtures.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.topology.RoutingKeys;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Splits under hash routing: 16-digit bounds, the middle as the default, padded short bounds. */
class HashSplitTest {
    private final ReshardPlanner planner = new ReshardPlanner(HASH);

    private String cut(ShardMap map, String shard, String at) {
        return planner.split(map, new SplitRequest(shard, at, null)).targets().get(1).start();
    }

    @Test
    void withoutAtTheWholeSpaceSplitsAtTwoToTheSixtyThird() {
        Reshard plan = new ReshardPlanner(WHOLE).split(map(WHOLE), new SplitRequest("all", null, null));
        assertThat(plan.targets()).containsExactly(
                new ShardEntry("all-1", null, "8000000000000000", "kv-all-1-leader",
                        List.of("kv-all-1-replica-1", "kv-all-1-replica-2")),
                new ShardEntry("all-2", "8000000000000000", null, "kv-all-2-leader",
                        List.of("kv-all-2-replica-1", "kv-all-2-replica-2")));
        assertThat(plan.next().epoch()).isEqualTo(2);
        assertCovers(plan.next());
    }

    @Test
    void withoutAtASubRangeSplitsAtItsMiddle() {
        ShardMap map = map(HASH);
        assertThat(cut(map, "00-3f", null)).as("an unbounded start is 0").isEqualTo("2000000000000000");
        assertThat(cut(map, "40-7f", null)).isEqualTo("6000000000000000");
        assertThat(cut(map, "80-ff", null)).as("an unbounded end is 2^64, unsigned").isEqualTo("c000000000000000");
        assertThat(ids(planner.split(map, new SplitRequest("40-7f", null, null)).targets()))
                .as("a computed at is 16 digits: numbered ids").containsExactly("40-7f-1", "40-7f-2");
    }

    @Test
    void theMiddleOfAnOddWidthRoundsDown() {
        Topology odd = Topology.parse("""
                {"prefix": "kv", "routing": "hash", "shards": [
                  {"id": "lo", "end": "0000000000000003", "replicas": 1},
                  {"id": "hi", "start": "0000000000000003", "replicas": 1}]}""");
        assertThat(new ReshardPlanner(odd).split(map(odd), new SplitRequest("lo", null, null)).targets().get(1).start())
                .isEqualTo("0000000000000001");
    }

    @ParameterizedTest
    @CsvSource({"c, c000000000000000", "C, c000000000000000", "A0, a000000000000000",
            "8000000000000001, 8000000000000001", "fFfFfFfFfFfFfFfF, ffffffffffffffff"})
    void atIsPaddedToSixteenLowerCaseDigits(String at, String bound) {
        Reshard plan = planner.split(map(HASH), new SplitRequest("80-ff", at, null));
        assertThat(plan.targets().get(0).end()).isEqualTo(bound);
        assertThat(plan.targets().get(1).start()).isEqualTo(bound);
        assertCovers(plan.next());
    }

    @Test
    void aOneDigitAtNamesTheHalvesAsWritten() {
        assertThat(ids(planner.split(map(HASH), new SplitRequest("80-ff", "C", null)).targets()))
                .containsExactly("80-b", "c-ff");
        assertThat(ids(planner.split(map(HASH), new SplitRequest("80-ff", "a0", null)).targets()))
                .containsExactly("80-ff-1", "80-ff-2");
    }

    @Test
    void theNextMapRoutesByTheHash() {
        ShardMap next = planner.split(map(HASH), new SplitRequest("80-ff", "c", null)).next();
        assertThat(RoutingKeys.hash("hello")).isEqualTo("cbd8a7b341bd9b02");
        assertThat(next.route("hello").id()).isEqualTo("c-ff");
        assertThat(next.shard("80-b").orElseThrow().covers("bfffffffffffffff")).isTrue();
        assertThat(next.shard("c-ff").orElseThrow().covers("c000000000000000")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "xyz", "0x8", "-1", "12345678901234567", " 8"})
    void atMustBeOneToSixteenHexDigits(String at) {
        assertThat(refused(() -> planner.split(map(HASH), new SplitRequest("80-ff", at, null)),
                ProblemType.INVALID_RESHARD, 400).detail())
                .isEqualTo("\"at\" must be 1-16 hex digits, since hash routing compares 16-digit hashes: \"" + at + "\".");
    }

    @Test
    void atMustLieStrictlyInsideOnceItIsPadded() {
        ShardMap map = map(HASH);
        assertThat(refused(() -> planner.split(map, new SplitRequest("80-ff", "4", null)), ProblemType.INVALID_RESHARD, 400)
                .detail()).isEqualTo("\"at\" \"4\" is outside shard \"80-ff\"'s range [\"8\", +inf):"
                        + " a split point must lie strictly inside it.");
        assertThat(refused(() -> planner.split(map, new SplitRequest("80-ff", "8000", null)), ProblemType.INVALID_RESHARD, 400)
                .detail()).as("\"8000\" is \"8\" padded").contains("is the start of shard \"80-ff\"")
                .contains("left half empty");
        assertThat(refused(() -> planner.split(map, new SplitRequest("40-7f", "8000000000000000", null)),
                ProblemType.INVALID_RESHARD, 400).detail()).contains("is the end of shard \"40-7f\"")
                .contains("right half empty");
        assertThat(refused(() -> planner.split(map, new SplitRequest("00-3f", "0", null)), ProblemType.INVALID_RESHARD, 400)
                .detail()).as("an unbounded start is 0").contains("is the start of shard \"00-3f\"'s range [-inf, \"4\")");
    }

    @Test
    void aShardOfOneHashValueIsTooNarrowToSplit() {
        Topology narrow = Topology.parse("""
                {"prefix": "kv", "routing": "hash", "shards": [
                  {"id": "lo", "end": "8000000000000000", "replicas": 1},
                  {"id": "one", "start": "8000000000000000", "end": "8000000000000001", "replicas": 1},
                  {"id": "two", "start": "8000000000000001", "end": "8000000000000003", "replicas": 1},
                  {"id": "hi", "start": "8000000000000003", "replicas": 1}]}""");
        ReshardPlanner narrowPlanner = new ReshardPlanner(narrow);
        assertThat(refused(() -> narrowPlanner.split(map(narrow), new SplitRequest("one", null, null)),
                ProblemType.INVALID_RESHARD, 400).detail()).isEqualTo("Shard \"one\" covers"
                        + " [\"8000000000000000\", \"8000000000000001\"), a single hash value: too narrow to split.");
        Reshard two = narrowPlanner.split(map(narrow), new SplitRequest("two", null, null));
        assertThat(two.targets().get(1).start()).as("two values: one each").isEqualTo("8000000000000002");
    }
}
