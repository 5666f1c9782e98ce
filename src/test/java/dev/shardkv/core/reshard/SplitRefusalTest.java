package dev.shardkv.core.reshard;

import static dev.shardkv.core.reshard.Fixtures.RANGE;
import static dev.shardkv.core.reshard.Fixtures.map;
import static dev.shardkv.core.reshard.Fixtures.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.Topology;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a split under range routing is refused: the status, and a detail naming value and rule. */
class SplitRefusalTest {
    private final ReshardPlanner planner = new ReshardPlanner(RANGE);
    private final ShardMap map = map(RANGE);

    private ShardKvException invalid(SplitRequest request) {
        return refused(() -> planner.split(map, request), ProblemType.INVALID_RESHARD, 400);
    }

    @Test
    void anUnknownShardIs404() {
        ShardKvException refusal = refused(() -> planner.split(map, new SplitRequest("a-z", "g", null)),
                ProblemType.UNKNOWN_SHARD, 404);
        assertThat(refusal.detail()).isEqualTo(
                "No shard \"a-z\" in the shard map (epoch 1); its shards are \"a-l\", \"m-s\", \"t-z\".");
        assertThat(refusal.fields()).isEqualTo(Map.of("shard", "a-z"));
        assertThat(ProblemType.UNKNOWN_SHARD.uri()).isEqualTo("urn:shardkv:problem:unknown-shard");
        assertThat(ProblemType.UNKNOWN_SHARD.title()).isEqualTo("Unknown shard");
    }

    @Test
    void aRetiredShardIs404AndSaysWhoHoldsItsRangeNow() {
        ShardMap next = planner.split(map, new SplitRequest("a-l", "g", null)).next();
        ShardKvException refusal = refused(() -> planner.split(next, new SplitRequest("a-l", "c", null)),
                ProblemType.UNKNOWN_SHARD, 404);
        assertThat(refusal.detail()).isEqualTo(
                "Shard \"a-l\" was retired by a reshard; its range is held by \"a-f\", \"g-l\" now (epoch 2).");
    }

    @Test
    void aMissingShardOrBodyIs400() {
        assertThat(invalid(new SplitRequest(null, "g", null)).detail())
                .isEqualTo("\"shard\" must name a shard: null is not a shard id.");
        assertThat(refused(() -> planner.split(map, null), ProblemType.INVALID_RESHARD, 400).detail())
                .contains("\"shard\"");
    }

    @Test
    void rangeRoutingNeedsAt() {
        assertThat(invalid(new SplitRequest("a-l", null, null)).detail()).isEqualTo(
                "A split of \"a-l\" under range routing needs \"at\", the first key of the right half:"
                        + " range routing has no middle to pick.");
    }

    @Test
    void atMustNotBeEmpty() {
        assertThat(invalid(new SplitRequest("a-l", "", null)).detail())
                .isEqualTo("\"at\" must be a non-empty routing key: \"\".");
    }

    @ParameterizedTest
    @ValueSource(strings = {"G", "gH", "Ä"})
    void atMustBeLowerCaseSinceKeysAreComparedLowerCased(String at) {
        ShardKvException refusal = invalid(new SplitRequest("a-l", at, null));
        assertThat(refusal.detail()).isEqualTo("\"at\" must be in lower case, since range routing compares"
                + " lower-cased keys: \"" + at + "\".");
        assertThat(refusal.fields()).isEqualTo(Map.of("at", at));
    }

    @Test
    void atOutsideTheShardIs400() {
        assertThat(invalid(new SplitRequest("a-l", "q", null)).detail()).isEqualTo(
                "\"at\" \"q\" is outside shard \"a-l\"'s range [-inf, \"m\"): a split point must lie strictly inside it.");
        assertThat(invalid(new SplitRequest("m-s", "b", null)).detail()).isEqualTo(
                "\"at\" \"b\" is outside shard \"m-s\"'s range [\"m\", \"t\"): a split point must lie strictly inside it.");
        assertThat(invalid(new SplitRequest("t-z", "s", null)).detail()).contains("is outside shard \"t-z\"'s range [\"t\", +inf)");
    }

    @Test
    void atOnTheEdgesWouldLeaveAnEmptyHalf() {
        assertThat(invalid(new SplitRequest("m-s", "m", null)).detail()).isEqualTo(
                "\"at\" \"m\" is the start of shard \"m-s\"'s range [\"m\", \"t\"): a split there leaves the left half empty.");
        assertThat(invalid(new SplitRequest("m-s", "t", null)).detail()).isEqualTo(
                "\"at\" \"t\" is the end of shard \"m-s\"'s range [\"m\", \"t\"), which the range stops before:"
                        + " a split there leaves the right half empty.");
    }

    @Test
    void idsMustBeExactlyTwo() {
        for (List<String> ids : List.of(List.<String>of(), List.of("a-f"), List.of("a-c", "d-f", "g-l"))) {
            assertThat(invalid(new SplitRequest("a-l", "g", ids)).detail()).isEqualTo(
                    "\"ids\" must list exactly 2 shard ids for a split, left half then right: " + ids.size() + " given.");
        }
    }

    @Test
    void idsMustPassTheShardIdRule() {
        String rule = "the shard id rule (1-20 characters of a-z, 0-9 and '-', not starting with '-')";
        assertThat(invalid(new SplitRequest("a-l", "g", List.of("A-F", "g-l"))).detail())
                .isEqualTo("Shard id \"A-F\" breaks " + rule + ".");
        assertThat(invalid(new SplitRequest("a-l", "g", List.of("a-f", "-g"))).detail())
                .isEqualTo("Shard id \"-g\" breaks " + rule + ".");
        assertThat(invalid(new SplitRequest("a-l", "g", List.of("a-f", "x".repeat(21)))).detail())
                .contains("\"" + "x".repeat(21) + "\" breaks " + rule);
        assertThat(invalid(new SplitRequest("a-l", "g", Arrays.asList(null, "g-l"))).detail())
                .isEqualTo("Shard id null breaks " + rule + ".");
        assertThat(invalid(new SplitRequest("a-l", "g", List.of("a_f", "g-l"))).fields()).isEqualTo(Map.of("id", "a_f"));
    }

    @Test
    void theHalvesNeedDifferentIds() {
        assertThat(invalid(new SplitRequest("a-l", "g", List.of("half", "half"))).detail())
                .isEqualTo("The halves need different ids: \"ids\" gives \"half\" twice.");
    }

    @Test
    void anIdALiveShardHasIs409() {
        ShardKvException refusal = refused(() -> planner.split(map, new SplitRequest("a-l", "g", List.of("a-f", "m-s"))),
                ProblemType.SHARD_EXISTS, 409);
        assertThat(refusal.detail()).isEqualTo(
                "Shard id \"m-s\" is already in use by a live shard (epoch 1); pick another.");
        assertThat(refusal.fields()).isEqualTo(Map.of("shard", "m-s"));
        assertThat(ProblemType.SHARD_EXISTS.uri()).isEqualTo("urn:shardkv:problem:shard-exists");
    }

    @Test
    void theSourcesIdIsNotFreeForAHalfSinceItsTablesAreStillInUse() {
        ShardKvException refusal = refused(() -> planner.split(map, new SplitRequest("a-l", "g", List.of("a-l", "g-l"))),
                ProblemType.SHARD_EXISTS, 409);
        assertThat(refusal.detail()).startsWith("Shard id \"a-l\" is the id of a shard this reshard retires;")
                .contains("its tables are named after it");
    }

    @Test
    void defaultIdsThatALiveShardHasAre409AskingForIds() {
        Topology named = Topology.parse("""
                {"prefix": "p", "shards": [
                  {"id": "a-l", "end": "m", "replicas": 1},
                  {"id": "g-l", "start": "m", "replicas": 1}]}""");
        ShardKvException refusal = refused(
                () -> new ReshardPlanner(named).split(map(named), new SplitRequest("a-l", "g", null)),
                ProblemType.SHARD_EXISTS, 409);
        assertThat(refusal.detail()).isEqualTo(
                "The default id \"g-l\" is already in use by a live shard (epoch 1); give two in \"ids\".");
    }

    @Test
    void noDefaultIdsForALongIdIs400AskingForIds() {
        String id = "abcdefghijklmnopqr-s"; // 20 characters: "-1" would make 22
        Topology longIds = Topology.parse("""
                {"prefix": "p", "shards": [{"id": "%s", "replicas": 1}]}""".formatted(id));
        ShardKvException refusal = refused(
                () -> new ReshardPlanner(longIds).split(map(longIds), new SplitRequest(id, "gh", null)),
                ProblemType.INVALID_RESHARD, 400);
        assertThat(refusal.detail()).isEqualTo("No default ids for the halves of \"" + id + "\": \"" + id
                + "-1\" and \"" + id + "-2\" break the shard id rule (1-20 characters of a-z, 0-9 and '-',"
                + " not starting with '-'); give two in \"ids\".");
    }
}
