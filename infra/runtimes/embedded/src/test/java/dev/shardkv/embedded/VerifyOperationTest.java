package dev.shardkv.embedded;

import static dev.shardkv.embedded.ReplicaVerifyTest.awaitReplicated;
import static dev.shardkv.embedded.ReplicaVerifyTest.put;
import static dev.shardkv.embedded.ReplicaVerifyTest.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.reshard.OperationKind;
import dev.shardkv.core.reshard.OperationState;
import dev.shardkv.core.reshard.Reshards;
import dev.shardkv.core.reshard.SplitRequest;
import dev.shardkv.core.reshard.VerifyRequest;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.core.verify.VerifyReport;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A verification as an admin operation: started, run in the background, its findings in the operation's
 * result per replica; with repair, a second one finds nothing. It holds its shards while it runs.
 */
@Timeout(120)
class VerifyOperationTest {

    @Test
    void aVerificationReportsEachReplicaAndARepairingOneLeavesNothingToFind() throws Exception {
        Topology topology = Topology.fromClasspath("topology-test.json");
        try (EmbeddedCluster cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(topology))) {
            long newest = 0;
            for (int i = 0; i < 300; i++) {
                newest = Math.max(newest, put(cluster, (char) ('a' + i % 26) + "-" + i, "{\"i\":" + i + "}").item().ts());
            }
            awaitReplicated(cluster, newest);
            raw(cluster, null, "a-0");
            raw(cluster, StoredItem.live("d-3", "\"forged\"", 99, 1_000), null);
            raw(cluster, StoredItem.live("c-extra", "\"extra\"", 1, 1_000), null);
            Reshards admin = cluster.reshards();

            Operation one = ReshardHistoryTest.awaitEnd(admin, admin.verify(new VerifyRequest("a-l", null)));
            assertThat(one.kind()).isEqualTo(OperationKind.VERIFY);
            assertThat(one.state()).as(String.valueOf(one.error())).isEqualTo(OperationState.DONE);
            assertThat(one.fromEpoch()).isEqualTo(one.toEpoch());
            assertThat(one.result().repair()).isFalse();
            assertThat(one.result().replicas()).extracting(VerifyReport::replica)
                    .containsExactly("test-a-l-replica-1", "test-a-l-replica-2");
            VerifyReport tampered = one.result().replicas().getFirst();
            assertThat(List.of(tampered.missing(), tampered.different(), tampered.extra(), tampered.repaired()))
                    .containsExactly(1L, 1L, 1L, 0L);
            assertThat(one.result().replicas().get(1).clean()).isTrue();
            assertThat(one.progress().copied()).as("keys compared, both replicas").isEqualTo(tampered.compared()
                    + one.result().replicas().get(1).compared());

            Operation repair = ReshardHistoryTest.awaitEnd(admin, admin.verify(new VerifyRequest(null, true)));
            assertThat(repair.state()).isEqualTo(OperationState.DONE);
            assertThat(repair.sources()).as("every shard").hasSize(topology.shards().size());
            assertThat(repair.result().replicas().stream().mapToLong(VerifyReport::repaired).sum()).isEqualTo(3);

            Operation again = ReshardHistoryTest.awaitEnd(admin, admin.verify(new VerifyRequest(null, false)));
            assertThat(again.result().differences()).isZero();
            assertThat(admin.list()).extracting(Operation::id).startsWith(again.id(), repair.id(), one.id());
        }
    }

    @Test
    void aShardUnderVerificationCannotBeSplitAndAnUnknownShardIs404() throws Exception {
        Topology topology = Topology.fromClasspath("topology-test.json");
        try (EmbeddedCluster cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(topology))) {
            Reshards admin = cluster.reshards();
            ShardKvException unknown = catchThrowableOfType(ShardKvException.class,
                    () -> admin.verify(new VerifyRequest("a-z", false)));
            assertThat(unknown.type()).isEqualTo(ProblemType.UNKNOWN_SHARD);
            for (int i = 0; i < 200; i++) { // the split asks right after: the verification has its locks by then
                put(cluster, "b-" + i, "1");
            }
            Operation verifying = admin.verify(new VerifyRequest("a-l", false));
            ShardKvException held = catchThrowableOfType(ShardKvException.class,
                    () -> admin.split(new SplitRequest("a-l", "g", null)));
            assertThat(held).as("the verification holds a-l").isNotNull();
            assertThat(held.type()).isEqualTo(ProblemType.OPERATION_CONFLICT);
            assertThat(ReshardHistoryTest.awaitEnd(admin, verifying).state()).isEqualTo(OperationState.DONE);
        }
    }
}
