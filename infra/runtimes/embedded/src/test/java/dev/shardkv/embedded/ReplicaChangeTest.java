package dev.shardkv.embedded;

import static dev.shardkv.embedded.ReplicaVerifyTest.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.gateway.ReadOptions;
import dev.shardkv.core.gateway.ReadResult;
import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.reshard.OperationKind;
import dev.shardkv.core.reshard.OperationState;
import dev.shardkv.core.reshard.Resharder;
import dev.shardkv.core.reshard.Reshards;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.dynamodb.ItemAttributes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * Replicas added and removed while clients write and read: an added replica serves no read before it has caught
 * up (and been verified), then holds exactly its leader's items; a removed one serves no read once the map without
 * it is out, and its table goes after the grace.
 */
@Timeout(180)
class ReplicaChangeTest {
    private static final String SHARD = "a-l";
    private static final String NEW = "test-a-l-replica-3";

    @Test
    void aReplicaAddedUnderLoadServesNoReadBeforeItIsCaughtUpThenHoldsExactlyTheLeadersItems() throws Exception {
        Topology topology = Topology.fromClasspath("topology-test.json");
        // Small pages: the copy takes long enough for writes to land on both sides of it.
        EmbeddedCluster.Settings settings = EmbeddedCluster.Settings.defaults(topology)
                .withReshard(Resharder.Settings.DEFAULT.withPageSize(25));
        try (EmbeddedCluster cluster = EmbeddedCluster.start(settings)) {
            for (int i = 0; i < 1_500; i++) {
                put(cluster, key(i), "{\"i\":" + i + "}");
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong writes = new AtomicLong();
            AtomicLong verifiedAt = new AtomicLong(Long.MAX_VALUE); // when the run was first seen past catching-up
            ConcurrentLinkedQueue<Long> newReplicaReads = new ConcurrentLinkedQueue<>(); // their start times
            List<Thread> clients = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                clients.add(Thread.ofVirtual().start(() -> {
                    while (!stop.get()) {
                        String key = key(ThreadLocalRandom.current().nextInt(2_000));
                        try {
                            if (ThreadLocalRandom.current().nextInt(5) == 0) {
                                cluster.gateway().delete(key, Precondition.NONE, ConsistencyToken.EMPTY);
                            } else {
                                put(cluster, key, Long.toString(writes.get()));
                            }
                            writes.incrementAndGet();
                        } catch (ShardKvException e) {
                            // not found, or throttled: the next write goes on
                        }
                    }
                }));
            }
            for (int r = 0; r < 2; r++) {
                clients.add(Thread.ofVirtual().start(() -> {
                    while (!stop.get()) {
                        long started = System.nanoTime();
                        ReadResult read = cluster.gateway().get(key(ThreadLocalRandom.current().nextInt(2_000)),
                                ReadOptions.EVENTUAL);
                        if (read.servedBy().equals(SHARD + "/replica-3")) {
                            newReplicaReads.add(started);
                        }
                    }
                }));
            }
            Reshards admin = cluster.reshards();
            Thread.sleep(200);
            Operation adding = admin.addReplica(SHARD);
            assertThat(adding.kind()).isEqualTo(OperationKind.ADD_REPLICA);
            assertThat(adding.replica()).isEqualTo(3);
            assertThat(adding.replicaTable()).isEqualTo(NEW);
            List<OperationState> seen = new ArrayList<>();
            Operation now = adding;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (now.isActive() && System.nanoTime() < deadline) {
                if (seen.isEmpty() || seen.getLast() != now.state()) {
                    seen.add(now.state());
                }
                if (now.state() == OperationState.VERIFYING || now.state() == OperationState.CUTTING_OVER) {
                    verifiedAt.compareAndSet(Long.MAX_VALUE, System.nanoTime());
                }
                assertThat(cluster.shardMap().shard(SHARD).orElseThrow().replicas()).as("not in the map before the cutover")
                        .doesNotContain(NEW);
                Thread.sleep(5);
                now = admin.get(adding.id());
            }
            assertThat(now.state()).as(String.valueOf(now.error())).isEqualTo(OperationState.DONE);
            long doneAt = System.nanoTime();
            while (System.nanoTime() - doneAt < Duration.ofSeconds(1).toNanos()) {
                Thread.sleep(50); // clients go on against the new map
            }
            stop.set(true);
            for (Thread client : clients) {
                client.join(10_000);
            }

            assertThat(seen).as("it copied, then caught up, before anything else").startsWith(OperationState.COPYING);
            assertThat(now.toEpoch()).isEqualTo(now.fromEpoch() + 1);
            assertThat(now.progress().copied()).as("the copy wrote the leader's items").isGreaterThanOrEqualTo(1_000);
            assertThat(cluster.shardMap().epoch()).isEqualTo(now.toEpoch());
            assertThat(cluster.shardMap().shard(SHARD).orElseThrow().replicas())
                    .containsExactly("test-a-l-replica-1", "test-a-l-replica-2", NEW);
            assertThat(writes.get()).as("the clients wrote throughout").isGreaterThan(100);
            assertThat(newReplicaReads).as("the new replica serves reads once the map has it").isNotEmpty();
            assertThat(newReplicaReads).as("but none that started before it was caught up")
                    .allSatisfy(started -> assertThat(started).isGreaterThan(verifiedAt.get()));
            awaitSame(cluster, NEW);
        }
    }

    @Test
    void aRemovedReplicaServesNoReadOnceTheMapIsOutAndItsTableGoesAfterTheGrace() throws Exception {
        Topology topology = Topology.fromClasspath("topology-test.json");
        EmbeddedCluster.Settings settings = EmbeddedCluster.Settings.defaults(topology)
                .withReshard(Resharder.Settings.DEFAULT.withGrace(Duration.ofMillis(500)));
        try (EmbeddedCluster cluster = EmbeddedCluster.start(settings)) {
            for (int i = 0; i < 200; i++) {
                put(cluster, key(i), "1");
            }
            Reshards admin = cluster.reshards();
            assertThat(refusal(() -> admin.removeReplica(SHARD, 1)).type()).as("not the last")
                    .isEqualTo(ProblemType.INVALID_RESHARD);
            assertThat(refusal(() -> admin.removeReplica(SHARD, 3)).type()).isEqualTo(ProblemType.UNKNOWN_REPLICA);
            assertThat(refusal(() -> admin.removeReplica("a-z", 2)).type()).isEqualTo(ProblemType.UNKNOWN_SHARD);

            Operation removed = ReshardHistoryTest.awaitEnd(admin, admin.removeReplica(SHARD, 2));
            assertThat(removed.state()).as(String.valueOf(removed.error())).isEqualTo(OperationState.DONE);
            assertThat(removed.kind()).isEqualTo(OperationKind.REMOVE_REPLICA);
            Thread.sleep(1_100); // the gateway's map cache
            assertThat(cluster.shardMap().shard(SHARD).orElseThrow().replicas()).containsExactly("test-a-l-replica-1");
            for (int i = 0; i < 200; i++) {
                assertThat(cluster.gateway().get(key(i), ReadOptions.EVENTUAL).servedBy())
                        .isIn(SHARD + "/replica-1", SHARD + "/leader");
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (exists(cluster, "test-a-l-replica-2")) {
                assertThat(System.nanoTime()).as("the table is dropped after the grace").isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(refusal(() -> admin.removeReplica(SHARD, 1)).type()).as("a shard keeps one")
                    .isEqualTo(ProblemType.INVALID_RESHARD);

            // Added back under the same name: a fresh table, filled again, equal to the leader.
            Operation added = ReshardHistoryTest.awaitEnd(admin, admin.addReplica(SHARD));
            assertThat(added.state()).as(String.valueOf(added.error())).isEqualTo(OperationState.DONE);
            assertThat(added.replicaTable()).isEqualTo("test-a-l-replica-2");
            awaitSame(cluster, "test-a-l-replica-2");
        }
    }

    @Test
    void anAbortedAddDropsTheTableAndLeavesTheMap() throws Exception {
        Topology topology = Topology.fromClasspath("topology-test.json");
        EmbeddedCluster.Settings settings = EmbeddedCluster.Settings.defaults(topology)
                .withReshard(Resharder.Settings.DEFAULT.withPageSize(5));
        try (EmbeddedCluster cluster = EmbeddedCluster.start(settings)) {
            for (int i = 0; i < 1_000; i++) {
                put(cluster, key(i), "1");
            }
            long epoch = cluster.shardMap().epoch();
            Reshards admin = cluster.reshards();
            Operation adding = admin.addReplica(SHARD);
            ShardKvException held = refusal(() -> admin.addReplica(SHARD));
            assertThat(held.type()).as("one operation at a time per shard").isEqualTo(ProblemType.OPERATION_CONFLICT);
            Operation aborted = admin.abort(adding.id());
            assertThat(aborted.state()).isEqualTo(OperationState.ABORTED);
            assertThat(cluster.shardMap().epoch()).isEqualTo(epoch);
            assertThat(exists(cluster, NEW)).as("the new table is dropped").isFalse();
            Operation again = ReshardHistoryTest.awaitEnd(admin, admin.addReplica(SHARD));
            assertThat(again.state()).as("the shard is free again: " + again.error()).isEqualTo(OperationState.DONE);
        }
    }

    /**
     * Stopped mid-copy, started again from its data directory: the copy goes on from its cursors, and the writes
     * made around the restart reach the new replica (the runtime feeds it from its start, as Terraform's topology
     * does on AWS).
     */
    @Test
    void anAddStoppedMidCopyResumesOnRestartAndMissesNoWrite(@TempDir Path dir) throws Exception {
        Topology topology = Topology.fromClasspath("topology-test.json");
        Resharder.Settings slow = Resharder.Settings.DEFAULT.withPageSize(2);
        EmbeddedCluster.Settings settings = EmbeddedCluster.Settings.defaults(topology).withDataDir(dir).withReshard(slow);
        Operation stopped;
        try (EmbeddedCluster first = EmbeddedCluster.start(settings)) {
            for (int i = 0; i < 1_000; i++) {
                put(first, key(i), "1");
            }
            Operation adding = first.reshards().addReplica(SHARD);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (first.reshards().get(adding.id()).progress().copied() < 100 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            stopped = first.reshards().get(adding.id());
        }
        assertThat(stopped.isActive()).as("stopped before its end: " + stopped.state()).isTrue();
        try (EmbeddedCluster second = EmbeddedCluster.start(settings)) {
            for (int i = 0; i < 1_000; i += 7) { // before, while and after it resumes
                put(second, key(i), "2");
            }
            Operation done = ReshardHistoryTest.awaitEnd(second.reshards(), second.reshards().get(stopped.id()));
            assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(OperationState.DONE);
            assertThat(done.progress().copied()).as("not copied again from the start").isLessThan(1_000 + 900);
            awaitSame(second, NEW);
        }
    }

    static String key(int i) {
        return (char) ('a' + i % 12) + "-r-" + i; // a to l: all in shard a-l
    }

    private static ShardKvException refusal(Runnable call) {
        ShardKvException refused = catchThrowableOfType(ShardKvException.class, call::run);
        assertThat(refused).as("refused").isNotNull();
        return refused;
    }

    private static boolean exists(EmbeddedCluster cluster, String table) {
        try {
            cluster.dynamo().describeTable(b -> b.tableName(table));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    /** Until the replica holds exactly the leader's client items, key by key and version by version (20 s at most). */
    private static void awaitSame(EmbeddedCluster cluster, String replica) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Map<String, String> leader = versions(cluster, cluster.topology().leaderTable(SHARD));
        Map<String, String> copy = versions(cluster, replica);
        while (!copy.equals(leader) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            leader = versions(cluster, cluster.topology().leaderTable(SHARD));
            copy = versions(cluster, replica);
        }
        assertThat(copy).as(replica + " holds exactly the leader's items").hasSizeGreaterThan(100).isEqualTo(leader);
    }

    private static Map<String, String> versions(EmbeddedCluster cluster, String table) {
        Map<String, String> versions = new TreeMap<>();
        cluster.dynamo().scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(item -> {
            String key = item.get(ItemAttributes.PK).s();
            if (!Keys.isReserved(key)) {
                AttributeValue version = item.get(ItemAttributes.VERSION);
                versions.put(key, version == null ? "-" : version.n());
            }
        });
        return versions;
    }
}
