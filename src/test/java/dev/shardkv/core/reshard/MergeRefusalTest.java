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

/** Every way a merge is refused: the status, and a detail naming value and rule. */
class MergeRefusalTest {
    private final ReshardPlanner planner = new ReshardPlanner(RANGE);
    private final ShardMap map = map(RANGE);

    private ShardKvException refusal(MergeRequest request, ProblemType type, int status) {
        return refused(() -> planner.merge(map, request), type, status);
    }

    @Test
    void exactlyTwoShards() {
        assertThat(refusal(new MergeRequest(null, null), ProblemType.INVALID_RESHARD, 400).detail())
                .isEqualTo("\"shards\" must list exactly 2 shard ids for a merge: 0 given.");
        assertThat(refusal(new MergeRequest(List.of("a-l"), null), ProblemType.INVALID_RESHARD, 400).detail())
                .isEqualTo("\"shards\" must list exactly 2 shard ids for a merge: 1 given.");
        assertThat(refusal(new MergeRequest(List.of("a-l", "m-s", "t-z"), null), ProblemType.INVALID_RESHARD, 400).detail())
                .isEqualTo("\"shards\" must list exactly 2 shard ids for a merge: 3 given.");
        assertThat(refused(() -> planner.merge(map, null), ProblemType.INVALID_RESHARD, 400).detail())
                .contains("exactly 2");
    }

    @Test
    void twoDifferentShards() {
        assertThat(refusal(new MergeRequest(List.of("a-l", "a-l"), null), ProblemType.INVALID_RESHARD, 400).detail())
                .isEqualTo("\"shards\" names \"a-l\" twice; a merge takes two different shards.");
        assertThat(refusal(new MergeRequest(Arrays.asList("a-l", null), null), ProblemType.INVALID_RESHARD, 400).detail())
                .isEqualTo("\"shards\" must name a shard: null is not a shard id.");
    }

    @Test
    void anUnknownShardIs404() {
        ShardKvException unknown = refusal(new MergeRequest(List.of("m-s", "u-z"), null), ProblemType.UNKNOWN_SHARD, 404);
        assertThat(unknown.detail()).startsWith("No shard \"u-z\" in the shard map (epoch 1)");
        assertThat(unknown.fields()).isEqualTo(Map.of("shard", "u-z"));
    }

    @Test
    void theShardsMustBeAdjacent() {
        String detail = "\"a-l\" and \"t-z\" are not adjacent: a-l ends at \"m\", t-z starts at \"t\"; a merge takes"
                + " two shards where one ends and the other starts, so that the result is one range.";
        assertThat(refusal(new MergeRequest(List.of("a-l", "t-z"), null), ProblemType.INVALID_RESHARD, 400).detail())
                .isEqualTo(detail);
        ShardKvException reversed = refusal(new MergeRequest(List.of("t-z", "a-l"), null), ProblemType.INVALID_RESHARD, 400);
        assertThat(reversed.detail()).as("named in range order whatever the request's order").isEqualTo(detail);
        assertThat(reversed.fields()).isEqualTo(Map.of("shards", List.of("a-l", "t-z")));
    }

    @Test
    void aRequestedIdMustPassTheRuleAndBeFree() {
        assertThat(refusal(new MergeRequest(List.of("a-l", "m-s"), "A-S"), ProblemType.INVALID_RESHARD, 400).detail())
                .isEqualTo("Shard id \"A-S\" breaks the shard id rule (1-20 characters of a-z, 0-9 and '-',"
                        + " not starting with '-').");
        assertThat(refusal(new MergeRequest(List.of("a-l", "m-s"), "t-z"), ProblemType.SHARD_EXISTS, 409).detail())
                .isEqualTo("Shard id \"t-z\" is already in use by a live shard (epoch 1); pick another.");
        assertThat(refusal(new MergeRequest(List.of("a-l", "m-s"), "m-s"), ProblemType.SHARD_EXISTS, 409).detail())
                .startsWith("Shard id \"m-s\" is the id of a shard this reshard retires;");
    }

    @Test
    void aDefaultIdALiveShardHasIs409AskingForAnId() {
        Topology named = Topology.parse("""
                {"prefix": "p", "shards": [
                  {"id": "a-f", "end": "g", "replicas": 1},
                  {"id": "g-l", "start": "g", "end": "m", "replicas": 1},
                  {"id": "a-l", "start": "m", "replicas": 1}]}""");
        assertThat(refused(() -> new ReshardPlanner(named).merge(map(named), new MergeRequest(List.of("a-f", "g-l"), null)),
                ProblemType.SHARD_EXISTS, 409).detail())
                .isEqualTo("The default id \"a-l\" is already in use by a live shard (epoch 1); give one in \"id\".");
    }

    @Test
    void noDefaultIdForLongIdsIs400AskingForAnId() {
        Topology longIds = Topology.parse("""
                {"prefix": "p", "shards": [
                  {"id": "first-of-two-shards", "end": "m", "replicas": 1},
                  {"id": "second", "start": "m", "replicas": 1}]}""");
        assertThat(refused(() -> new ReshardPlanner(longIds).merge(map(longIds),
                        new MergeRequest(List.of("first-of-two-shards", "second"), null)),
                ProblemType.INVALID_RESHARD, 400).detail())
                .isEqualTo("No default id for the merge of \"first-of-two-shards\" and \"second\":"
                        + " \"first-of-two-shards-second\" breaks the shard id rule (1-20 characters of a-z, 0-9"
                        + " and '-', not starting with '-'); give one in \"id\".");
    }
}
