package dev.shardkv.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.gateway.ReadOptions;
import dev.shardkv.core.gateway.ReadResult;
import dev.shardkv.core.gateway.WriteResult;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.core.verify.ReplicaVerifier;
import dev.shardkv.core.verify.VerifyReport;
import dev.shardkv.dynamodb.DynamoLeaderStore;
import dev.shardkv.dynamodb.DynamoReplicaStore;
import dev.shardkv.dynamodb.ItemAttributes;
import dev.shardkv.embedded.testing.Tables;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Verify and repair on the embedded cluster: a replica table tampered with straight through DynamoDB (a key
 * deleted, an older version, a forged higher one, an extra key) is found exactly, repaired, and serves the
 * leader's values again; while clients write, verifying every replica finds no difference at all.
 */
@Timeout(120)
class ReplicaVerifyTest {
    static final String SHARD = "a-l";
    static final String TAMPERED = "test-a-l-replica-1";

    @Test
    void aTamperedReplicaIsFoundExactlyRepairedAndServesTheLeadersValuesAgain() throws Exception {
        Topology topology = Topology.fromClasspath("topology-test.json");
        try (EmbeddedCluster cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(topology))) {
            long newest = 0;
            for (int i = 0; i < 500; i++) {
                newest = Math.max(newest, put(cluster, (char) ('a' + i % 26) + "-" + i, "{\"i\":" + i + "}").item().ts());
            }
            for (String key : List.of("b-1", "d-3")) {
                newest = Math.max(newest, put(cluster, key, "\"second\"").item().ts());
            }
            awaitReplicated(cluster, newest);

            raw(cluster, null, "a-0");                                                      // deleted
            raw(cluster, StoredItem.live("b-1", "\"old\"", 1, 1_000), null);              // an older version
            raw(cluster, StoredItem.live("d-3", "\"forged\"", 99, 1_000), null);          // a forged higher version
            raw(cluster, StoredItem.live("c-extra", "\"extra\"", 1, 1_000), null);        // a key the leader has not
            assertThat(servedByTampered(cluster, "d-3").item().value()).as("the forgery is served").isEqualTo("\"forged\"");

            List<VerifyReport> before = verifyAll(cluster, false);
            VerifyReport found = tampered(before);
            assertThat(found.missing()).isEqualTo(1);
            assertThat(found.different()).as("the older and the forged version").isEqualTo(2);
            assertThat(found.extra()).isEqualTo(1);
            assertThat(found.inFlight()).isZero();
            assertThat(found.repaired()).isZero();
            assertThat(found.examples().missing()).containsExactly("a-0");
            assertThat(found.examples().different()).containsExactly("b-1", "d-3");
            assertThat(found.examples().extra()).containsExactly("c-extra");
            assertThat(before).filteredOn(r -> r != found).allSatisfy(r -> assertThat(r.clean()).as(r.toString()).isTrue());
            assertThat(before.stream().mapToLong(VerifyReport::compared).sum()).as("every replica, every key")
                    .isEqualTo(500L * 2 + 1);

            VerifyReport repaired = verifier(cluster, SHARD, TAMPERED).verify(true);
            assertThat(repaired.repaired()).isEqualTo(4);
            List<VerifyReport> after = verifyAll(cluster, false);
            assertThat(after).allSatisfy(r -> {
                assertThat(r.clean()).as(r.toString()).isTrue();
                assertThat(r.inFlight()).isZero();
            });

            for (String key : List.of("a-0", "b-1", "d-3", "c-extra")) {
                StoredItem onLeader = Tables.item(cluster, topology.leaderTable(SHARD), key);
                ReadResult read = servedByTampered(cluster, key);
                assertThat(read.item()).as(key).isEqualTo(onLeader);
            }
        }
    }

    @Test
    void whileClientsWriteVerifyingEveryReplicaFindsNoDifference() throws Exception {
        Topology topology = Topology.fromClasspath("topology-test.json");
        try (EmbeddedCluster cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(topology))) {
            for (int i = 0; i < 300; i++) {
                put(cluster, key(i), "0");
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong writes = new AtomicLong();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                writers.add(Thread.ofVirtual().start(() -> {
                    while (!stop.get()) {
                        String key = key(ThreadLocalRandom.current().nextInt(300));
                        try {
                            if (ThreadLocalRandom.current().nextInt(5) == 0) {
                                cluster.gateway().delete(key, Precondition.NONE, ConsistencyToken.EMPTY);
                            } else {
                                put(cluster, key, Long.toString(writes.get()));
                            }
                            writes.incrementAndGet();
                        } catch (ShardKvException e) {
                            // throttled or not found: the next write goes on
                        }
                    }
                }));
            }
            List<VerifyReport> reports = new CopyOnWriteArrayList<>();
            long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            for (boolean repair = false; System.nanoTime() < until; repair = !repair) {
                reports.addAll(verifyAll(cluster, repair));
            }
            stop.set(true);
            for (Thread writer : writers) {
                writer.join(10_000);
            }

            assertThat(writes.get()).as("the clients wrote throughout").isGreaterThan(50);
            assertThat(reports).as("every replica verified at least once under writes").hasSizeGreaterThanOrEqualTo(6);
            assertThat(reports).allSatisfy(r -> {
                assertThat(r.differences()).as(r.toString()).isZero();
                assertThat(r.repaired()).as(r.toString()).isZero();
            });
            System.out.printf("verify under writes: %d writes, %d verifications, %d in flight, %d items read%n",
                    writes.get(), reports.size(), reports.stream().mapToLong(VerifyReport::inFlight).sum(),
                    reports.stream().mapToLong(VerifyReport::itemsRead).sum());
            assertThat(reports.stream().mapToLong(VerifyReport::itemsRead).sum())
                    .as("writes between the scans made candidates, which the re-check cleared").isPositive();
        }
    }

    static String key(int i) {
        return (char) ('a' + i % 26) + "-w-" + i;
    }

    static WriteResult put(EmbeddedCluster cluster, String key, String value) {
        return cluster.gateway().put(key, value, Precondition.NONE, ConsistencyToken.EMPTY);
    }

    static ReplicaVerifier verifier(EmbeddedCluster cluster, String shard, String replica) {
        return new ReplicaVerifier(shard, new DynamoLeaderStore(cluster.dynamo(), cluster.topology().leaderTable(shard)),
                new DynamoReplicaStore(cluster.dynamo(), replica), Clock.systemUTC(), ReplicaVerifier.Settings.DEFAULT);
    }

    static List<VerifyReport> verifyAll(EmbeddedCluster cluster, boolean repair) {
        List<VerifyReport> reports = new ArrayList<>();
        for (ShardEntry shard : cluster.shardMap().shards()) {
            for (String replica : shard.replicas()) {
                reports.add(verifier(cluster, shard.id(), replica).verify(repair));
            }
        }
        return reports;
    }

    static VerifyReport tampered(List<VerifyReport> reports) {
        return reports.stream().filter(r -> r.replica().equals(TAMPERED)).findFirst().orElseThrow();
    }

    /** Until every replica's stored watermark is past the newest write by more than the in-flight margin. */
    static void awaitReplicated(EmbeddedCluster cluster, long newestTs) throws InterruptedException {
        long needed = newestTs + ReplicaVerifier.Settings.DEFAULT.inFlightMarginMs();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (ShardEntry shard : cluster.shardMap().shards()) {
            for (String replica : shard.replicas()) {
                DynamoReplicaStore store = new DynamoReplicaStore(cluster.dynamo(), replica);
                while (store.watermark().map(Watermark::ts).orElse(0L) < needed) {
                    assertThat(System.nanoTime()).as(replica + " caught up").isLessThan(deadline);
                    Thread.sleep(20);
                }
            }
        }
    }

    /** Writes around ShardKV, straight into the tampered replica table: an item, or (item null) a removal. */
    static void raw(EmbeddedCluster cluster, StoredItem item, String removed) {
        if (item != null) {
            cluster.dynamo().putItem(b -> b.tableName(TAMPERED).item(ItemAttributes.toItem(item)));
        } else {
            cluster.dynamo().deleteItem(b -> b.tableName(TAMPERED).key(ItemAttributes.key(removed)));
        }
    }

    /** An eventual read through the gateway, repeated until the tampered replica answers it (replicas are picked at random). */
    static ReadResult servedByTampered(EmbeddedCluster cluster, String key) {
        for (int attempt = 0; attempt < 200; attempt++) {
            ReadResult read = cluster.gateway().get(key, ReadOptions.EVENTUAL);
            if (read.servedBy().equals(SHARD + "/replica-1")) {
                return read;
            }
        }
        throw new AssertionError("no eventual read of " + key + " served by " + TAMPERED);
    }
}
