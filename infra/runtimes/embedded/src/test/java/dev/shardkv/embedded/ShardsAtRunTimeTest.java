package dev.shardkv.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.gateway.ReadOptions;
import dev.shardkv.core.gateway.WriteResult;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.reshard.Copier;
import dev.shardkv.core.reshard.Cutover;
import dev.shardkv.core.reshard.Reshard;
import dev.shardkv.core.reshard.ReshardPlanner;
import dev.shardkv.core.reshard.SplitRequest;
import dev.shardkv.core.topology.RoutingMode;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.dynamodb.DynamoControlStore;
import dev.shardkv.dynamodb.DynamoLeaderStore;
import dev.shardkv.dynamodb.DynamoReplicaStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shards added while the cluster runs, by the phases of a split done one after the other on a quiet
 * cluster: the targets' tables and functions start, the copy fills them, the cutover freezes the source
 * and publishes epoch 2; then the gateway, still on epoch 1, meets the frozen source, moves to the new map
 * and writes on the new owner, whose replicas follow; versions go on from the source's.
 */
@Timeout(120)
class ShardsAtRunTimeTest {

    @Test
    void aSplitsTargetsRunAsShardsAndTakeOverOnceTheMapMoves() throws Exception {
        Topology topology = Topology.fromClasspath("topology-test.json");
        try (EmbeddedCluster cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(topology))) {
            for (String key : List.of("alpha", "bravo", "hotel", "kilo")) {
                cluster.gateway().put(key, "1", Precondition.NONE, ConsistencyToken.EMPTY);
                cluster.gateway().put(key, "2", Precondition.NONE, ConsistencyToken.EMPTY);
            }
            Reshard split = new ReshardPlanner(topology).split(cluster.shardMap(), new SplitRequest("a-l", "g", null));
            split.targets().forEach(cluster::addShard);
            List<Copier.Target> targets = split.targets().stream()
                    .map(t -> new Copier.Target(t, new DynamoReplicaStore(cluster.dynamo(), t.leader()))).toList();
            DynamoLeaderStore source = new DynamoLeaderStore(cluster.dynamo(), split.sources().get(0).leader());
            new Copier(source, RoutingMode.RANGE, targets, 2, 3).copy(Map.of(), (segment, cursor, n) -> { });

            Cutover.Result cutover = new Cutover(new DynamoControlStore(cluster.dynamo(), topology.controlTable()),
                    Clock.systemUTC(), Duration.ofSeconds(2)).run("op-test", List.of(source), split.next(), 1, versions -> true);
            assertThat(cutover.published()).isTrue();
            Thread.sleep(300); // the source's writer last read its fence before the freeze

            WriteResult written = cluster.gateway().put("alpha", "3", Precondition.NONE, ConsistencyToken.EMPTY);
            assertThat(written.shard()).isEqualTo("a-f");
            assertThat(written.item().version()).as("versions go on from the source's").isEqualTo(3);
            assertThat(cluster.gateway().shardMap().epoch()).isEqualTo(2);
            assertThat(cluster.gateway().get("hotel", ReadOptions.STRONG).item().value()).isEqualTo("2");
            ShardEntry left = cluster.shardMap().shard("a-f").orElseThrow();
            for (String replica : left.replicas()) {
                assertThat(ReplicationFaultTest.awaitVersion(new DynamoReplicaStore(cluster.dynamo(), replica), "alpha", 3)
                        .value()).isEqualTo("3");
            }
            assertThat(new DynamoLeaderStore(cluster.dynamo(), left.leader()).get("hotel")).as("g-l's, not a-f's").isEmpty();
            cluster.stopShard("a-l");
        }
    }
}
