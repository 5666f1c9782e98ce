package dev.shardkv.embedded;

import static dev.shardkv.embedded.ReplicaVerifyTest.SHARD;
import static dev.shardkv.embedded.ReplicaVerifyTest.TAMPERED;
import static dev.shardkv.embedded.ReplicaVerifyTest.awaitReplicated;
import static dev.shardkv.embedded.ReplicaVerifyTest.put;
import static dev.shardkv.embedded.ReplicaVerifyTest.raw;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.gateway.LastVerifications;
import dev.shardkv.core.gateway.ReadOptions;
import dev.shardkv.core.gateway.ReadResult;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.reshard.OperationState;
import dev.shardkv.core.reshard.Reshards;
import dev.shardkv.core.reshard.SplitRequest;
import dev.shardkv.core.reshard.VerifyRequest;
import dev.shardkv.core.store.VerificationStore;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.core.verify.LastVerification;
import dev.shardkv.dynamodb.DynamoStores;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A divergence found is not served: a replica whose last verification left a forged item unrepaired serves no
 * eventual read (nor a batch read) once the gateway has read the verdict, so the forgery is never returned; a
 * repairing verification lets it serve again. A split's new shard starts with no verdict, whatever its tables'
 * names had before.
 */
@Timeout(120)
class DivergentReplicaTest {
    static final String FORGED_KEY = "d-3";
    static final String REPLICA_1 = SHARD + "/replica-1";

    @Test
    void aReplicaLeftDivergentServesNoReadUntilARepairClearsIt() throws Exception {
        Topology topology = Topology.fromClasspath("topology-test.json");
        try (EmbeddedCluster cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(topology))) {
            long newest = 0;
            for (int i = 0; i < 100; i++) {
                newest = Math.max(newest, put(cluster, (char) ('a' + i % 26) + "-" + i, "{\"i\":" + i + "}").item().ts());
            }
            awaitReplicated(cluster, newest);
            raw(cluster, StoredItem.live(FORGED_KEY, "\"forged\"", 99, 1_000), null);
            Reshards admin = cluster.reshards();

            Operation found = ReshardHistoryTest.awaitEnd(admin, admin.verify(new VerifyRequest(SHARD, false)));
            assertThat(found.state()).as(String.valueOf(found.error())).isEqualTo(OperationState.DONE);
            LastVerifications last = cluster.gateway().verifications();
            await("the gateway holds " + TAMPERED + " back", () -> last.divergent().contains(TAMPERED));
            assertThat(last.of(TAMPERED)).hasValueSatisfying(v -> {
                assertThat(v.different()).isEqualTo(1);
                assertThat(v.unrepaired()).isEqualTo(1);
                assertThat(v.operation()).isEqualTo(found.id());
            });
            assertThat(last.of("test-a-l-replica-2")).hasValueSatisfying(v -> assertThat(v.divergent()).isFalse());

            for (int i = 0; i < 200; i++) {
                ReadResult read = cluster.gateway().get(FORGED_KEY, ReadOptions.EVENTUAL);
                assertThat(read.servedBy()).isNotEqualTo(REPLICA_1);
                assertThat(read.item().value()).isNotEqualTo("\"forged\"").isEqualTo("{\"i\":3}");
                assertThat(cluster.gateway().batchGet(List.of(FORGED_KEY, "a-0"), ReadOptions.EVENTUAL).results())
                        .allSatisfy(r -> assertThat(r.servedBy()).isNotEqualTo(REPLICA_1));
            }

            Operation repair = ReshardHistoryTest.awaitEnd(admin, admin.verify(new VerifyRequest(SHARD, true)));
            assertThat(repair.result().replicas().getFirst().repaired()).isEqualTo(1);
            await("the gateway lets " + TAMPERED + " serve again", () -> last.divergent().isEmpty());
            assertThat(last.of(TAMPERED)).map(LastVerification::operation).hasValue(repair.id());
            ReadResult again = ReplicaVerifyTest.servedByTampered(cluster, FORGED_KEY);
            assertThat(again.item().value()).isEqualTo("{\"i\":3}");
        }
    }

    @Test
    void aSplitsNewShardStartsWithNoVerdict() throws Exception {
        Topology topology = Topology.fromClasspath("topology-test.json");
        try (EmbeddedCluster cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(topology))) {
            VerificationStore store = new DynamoStores(cluster.dynamo()).verifications(topology.controlTable());
            // Left by tables of the same name, long gone (an id that comes back).
            store.record(new LastVerification("a-f", "test-a-f-replica-1", 1, 0, 5, 0, 0, "op-old"));
            for (int i = 0; i < 50; i++) {
                put(cluster, (char) ('a' + i % 12) + "-" + i, "1");
            }
            Reshards admin = cluster.reshards();
            Operation split = ReshardHistoryTest.awaitEnd(admin, admin.split(new SplitRequest(SHARD, "g", null)));
            assertThat(split.state()).as(String.valueOf(split.error())).isEqualTo(OperationState.DONE);
            assertThat(store.last(List.of("test-a-f-replica-1"))).isEmpty();
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
