package dev.shardkv.core.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

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
        assertThat(Topology.parse(t.toJson())).isEqualTo(t);
    }

    @Test
    void theRepositoryDefaultIsTheSeedsThreeShards() {
        Topology t = Topology.load(java.nio.file.Path.of("..", "topology.json"));
        ShardMap map = ShardMap.initial(t);
        assertThat(map.shards()).extracting(ShardEntry::id).containsExactly("a-l", "m-s", "t-z");
        assertThat(map.shards()).allSatisfy(s -> assertThat(s.replicaCount()).isEqualTo(2));
        assertThat(map.epoch()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"prefix":"kv","shards":[]}                                                                     | at least one shard
            {"prefix":"KV","shards":[{"id":"a","replicas":1}]}                                               | prefix
            {"prefix":"kv","shards":[{"id":"A","replicas":1}]}                                               | shard id
            {"prefix":"kv","shards":[{"id":"a","replicas":0}]}                                               | 1 to 10 replicas
            {"prefix":"kv","shards":[{"id":"a","end":"m","replicas":1},{"id":"a","start":"m","replicas":1}]} | appears twice
            {"prefix":"kv","shards":[{"id":"a","start":"b","replicas":1}]}                                   | first shard must start unbounded
            {"prefix":"kv","shards":[{"id":"a","end":"m","replicas":1}]}                                     | last shard must end unbounded
            {"prefix":"kv","shards":[{"id":"a","end":"m","replicas":1},{"id":"b","start":"n","replicas":1}]} | must start where
            {"prefix":"kv","shards":[{"id":"a","end":"m","replicas":1},{"id":"b","start":"m","end":"c","replicas":1},{"id":"c","start":"c","replicas":1}]} | must start before it ends
            {"prefix":"kv","shards":[{"id":"a","end":"M","replicas":1},{"id":"b","start":"M","replicas":1}]} | lower case
            {"prefix":"kv","routing":"hash","shards":[{"id":"a","end":"8g","replicas":1},{"id":"b","start":"8g","replicas":1}]} | hex digits
            {"prefix":"kv","routing":"modulo","shards":[{"id":"a","replicas":1}]}                            | routing must be
            {"prefix":"kv","shards":[{"id":"a","replicas":1,"color":"red"}]}                                  | color
            """)
    void refusesATopologyThatIsNotOneContiguousCover(String json, String message) {
        assertThatThrownBy(() -> Topology.parse(json)).hasMessageContaining(message);
    }
}
