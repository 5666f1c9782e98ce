package dev.shardkv.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.gateway.ReadOptions;
import dev.shardkv.core.gateway.WriteResult;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.topology.RoutingKeys;
import dev.shardkv.core.topology.RoutingMode;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.dynamodb.DynamoReplicaStore;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashAndDataDirTest {
    static final Topology HASH = Topology.parse("""
            {"prefix":"hashed","routing":"hash","shards":[
              {"id":"00-7f","end":"80","replicas":1},
              {"id":"80-ff","start":"80","replicas":2}]}""");

    @Test
    void hashRoutingSpreadsSkewedKeysAndReplicatesThem() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(HASH))) {
            Set<String> shards = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                String key = "user-" + i;
                WriteResult w = cluster.gateway().put(key, "" + i, Precondition.NONE, ConsistencyToken.EMPTY);
                String expected = RoutingKeys.compare(RoutingKeys.of(RoutingMode.HASH, key), "80") < 0 ? "00-7f" : "80-ff";
                assertThat(w.shard()).as(key).isEqualTo(expected);
                shards.add(w.shard());
                ShardEntry entry = cluster.shardMap().shard(w.shard()).orElseThrow();
                for (String table : entry.replicas()) {
                    assertThat(ReplicationFaultTest.awaitVersion(new DynamoReplicaStore(cluster.dynamo(), table), key, 1))
                            .isEqualTo(w.item());
                }
            }
            assertThat(shards).containsExactlyInAnyOrder("00-7f", "80-ff");
        }
    }

    @Test
    void aDataDirectoryKeepsLeadersReplicasAndVersionsAcrossRestarts(@TempDir Path dir) throws Exception {
        Topology topology = Topology.fromClasspath("topology-test.json");
        WriteResult written;
        try (EmbeddedCluster first = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(topology).withDataDir(dir))) {
            first.gateway().put("durable", "1", Precondition.NONE, ConsistencyToken.EMPTY);
            written = first.gateway().put("durable", "2", Precondition.NONE, ConsistencyToken.EMPTY);
            for (String table : first.shardMap().shard("a-l").orElseThrow().replicas()) {
                ReplicationFaultTest.awaitVersion(new DynamoReplicaStore(first.dynamo(), table), "durable", 2);
            }
        }
        try (EmbeddedCluster second = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(topology).withDataDir(dir))) {
            assertThat(second.gateway().get("durable", ReadOptions.STRONG).item()).isEqualTo(written.item());
            for (String table : second.shardMap().shard("a-l").orElseThrow().replicas()) {
                StoredItem copy = new DynamoReplicaStore(second.dynamo(), table).get("durable").orElseThrow();
                assertThat(copy).isEqualTo(written.item());
            }
            WriteResult third = second.gateway().put("durable", "3", Precondition.ifMatch(2), ConsistencyToken.EMPTY);
            assertThat(third.item().version()).as("versions continue after a restart").isEqualTo(3);
        }
    }
}
