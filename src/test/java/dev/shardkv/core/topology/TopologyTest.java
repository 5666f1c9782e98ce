package dev.shardkv.core.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopologyTest {

    @Test
    void namesAreDerivedFromThePrefixAndShard() {
        Topology t = Topology.parse("""
                {"prefix":"shardkv","shards":[{"id":"a-l","end":"m","replicas":2},{"id":"m-z","start":"m","replicas":1}]}""");
        assertThat(t.routing()).isEqualTo(RoutingMode.RANGE);
        assertThat(t.leaderTable("a-l")).isEqualTo("shardkv-a-l-leader");
        assertThat(t.replicaTables("a-l")).containsExactly("shardkv-a-l-replica-1", "shardkv-a-l-replica-2");
        assertThat(t.controlTable()).isEqualTo("shardkv-control");
        assertThat(t.writerFunction("m-z")).isEqualTo("shardkv-m-z-writer");
        assertThat(t.readerFunction("m-z")).isEqualTo("shardkv-m-z-reader");
        assertThat(t.replicatorFunction("m-z")).isEqualTo("shardkv-m-z-replicator");
        assertThat(t.gatewayFunction()).isEqualTo("shardkv-gateway");
        assertThat(t.heartbeatFunction()).isEqualTo("shardkv-heartbeat");
        assertThat(t.resharderFunction()).isEqualTo("shardkv-resharder");
        assertThat(Topology.parse(t.toJson())).isEqualTo(t);
    }

    @Test
    void stagedShardsAreFoundByIdButNotRouted() {
        Topology t = Topology.parse("""
                {"prefix":"shardkv","routing":"range","shards":[{"id":"a-l","end":"m","replicas":2},{"id":"m-z","start":"m","replicas":1}],
                 "staged":[{"id":"a-f","replicas":2},{"id":"g-l","replicas":3}]}""");
        assertThat(t.shards()).extracting(ShardSpec::id).containsExactly("a-l", "m-z");
        assertThat(t.staged()).containsExactly(new ShardSpec("a-f", null, null, 2), new ShardSpec("g-l", null, null, 3));
        // A staged shard's writer, reader and replicator look their shard up by id (SHARDKV_SHARD).
        assertThat(t.shard("g-l")).isEqualTo(new ShardSpec("g-l", null, null, 3));
        assertThat(t.leaderTable("g-l")).isEqualTo("shardkv-g-l-leader");
        assertThat(t.replicaTables("g-l"))
                .containsExactly("shardkv-g-l-replica-1", "shardkv-g-l-replica-2", "shardkv-g-l-replica-3");
        // Only the routed shards seed the map.
        assertThat(ShardMap.initial(t).shards()).extracting(ShardEntry::id).containsExactly("a-l", "m-z");
        assertThat(t.toJson()).contains("\"staged\":[{\"id\":\"a-f\",\"replicas\":2},{\"id\":\"g-l\",\"replicas\":3}]");
        assertThat(Topology.parse(t.toJson())).isEqualTo(t);
        assertThatThrownBy(() -> t.shard("n-z")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no shard \"n-z\" in the topology");
    }

    @Test
    void noStagedShardsAreNotWritten() {
        for (String staged : List.of("", ",\"staged\":null", ",\"staged\":[]")) {
            Topology t = Topology.parse("{\"prefix\":\"kv\",\"shards\":[{\"id\":\"all\",\"replicas\":1}]" + staged + "}");
            assertThat(t.staged()).as(staged).isEmpty();
            assertThat(t.toJson()).as(staged).doesNotContain("staged");
            assertThat(t).isEqualTo(new Topology("kv", RoutingMode.RANGE, List.of(new ShardSpec("all", null, null, 1))));
        }
    }

    @Test
    void theRepositoryDefaultIsTheSeedsThreeShards() {
        Topology t = Topology.load(java.nio.file.Path.of("..", "topology.json"));
        ShardMap map = ShardMap.initial(t);
        assertThat(map.shards()).extracting(ShardEntry::id).containsExactly("a-l", "m-s", "t-z");
        assertThat(map.shards()).allSatisfy(s -> assertThat(s.replicaCount()).isEqualTo(2));
        assertThat(map.epoch()).isEqualTo(1);
    }

    // Which topologies are valid is decided by the table in topology-cases.json (TopologyCasesTest),
    // which Terraform's rules are held to as well; what is left here cannot be a case of that table.

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"prefix\":\"kv\"} trailing", "prefix: kv"})
    void refusesTextThatIsNotJson(String text) {
        assertThatThrownBy(() -> Topology.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("topology is not valid: the text is not valid JSON");
    }

    @Test
    void listsEveryBrokenRuleAtOnce() {
        assertThatThrownBy(() -> Topology.parse("""
                {"prefix":"1kv","routing":"modulo","shards":[{"id":"a","end":"m","replicas":0},{"id":"b","start":"n","replicas":1}]}"""))
                .hasMessage("topology is not valid: "
                        + "prefix must be 1-20 characters of a-z, 0-9 and '-', starting with a letter"
                        + " (derived names must fit AWS limits): \"1kv\"; "
                        + "routing must be \"range\" or \"hash\": \"modulo\"; "
                        + "shards[0]: replicas must be a whole number from 1 to 10: 0; "
                        + "shards[1]: must start where shards[0] ends (\"m\"), so that every key has exactly one shard");
    }

    @Test
    void theConstructorAppliesTheSameRules() {
        assertThatThrownBy(() -> new Topology("1kv", RoutingMode.RANGE, List.of(new ShardSpec("all", null, null, 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix must be 1-20 characters");
        assertThatThrownBy(() -> new Topology("kv", RoutingMode.HASH, List.of(
                new ShardSpec("lo", null, "8g", 1), new ShardSpec("hi", "8g", null, 11))))
                .hasMessageContaining("shards[0]: end must be 1-16 lower-case hex digits")
                .hasMessageContaining("shards[1]: replicas must be a whole number from 1 to 10: 11");
        assertThat(new Topology("kv", null, List.of(new ShardSpec("all", null, null, 2))).routing())
                .isEqualTo(RoutingMode.RANGE);
        assertThatThrownBy(() -> new Topology("kv", RoutingMode.RANGE, List.of(new ShardSpec("all", null, null, 2)),
                List.of(new ShardSpec("a-f", null, "g", 2), new ShardSpec("all", null, null, 0))))
                .hasMessage("topology is not valid: "
                        + "staged[0]: unknown field \"end\" (a staged shard has id and replicas); "
                        + "staged[1]: id \"all\" appears twice; "
                        + "staged[1]: replicas must be a whole number from 1 to 10: 0");
        assertThat(new Topology("kv", null, List.of(new ShardSpec("all", null, null, 2)), null).staged()).isEmpty();
    }
}
