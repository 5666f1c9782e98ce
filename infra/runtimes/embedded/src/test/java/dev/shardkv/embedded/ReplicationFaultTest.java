package dev.shardkv.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.gateway.WriteResult;
import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.ApplyResult;
import dev.shardkv.core.replication.ChangeRecord;
import dev.shardkv.core.replication.ReplicationListener;
import dev.shardkv.core.testing.FaultyReplicas;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.dynamodb.DynamoReplicaStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults in the replicator, through the real path: DynamoDB Local's stream, the stream pump (the
 * event source mapping's stand-in), the Lambda handler and its batch item failures. The faults are
 * injected into the replica tables ({@link FaultyReplicas}): a failed apply request fails the whole
 * chunk of records it carried, reported from the chunk's first record.
 */
class ReplicationFaultTest {
    static EmbeddedCluster cluster;
    static final FaultyReplicas faults = new FaultyReplicas();
    /** How many times each (key, replica) was actually changed on the replica. */
    static final Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        ReplicationListener counter = new ReplicationListener() {
            @Override
            public void applied(String shard, int replica, ChangeRecord record, ApplyResult result, long appliedAt) {
                if (result == ApplyResult.APPLIED) {
                    applied.computeIfAbsent(record.key() + "/" + replica, k -> new AtomicInteger()).incrementAndGet();
                }
            }
        };
        // Batches of at most 8 records (so one chunk each): the 20 writes of a test span several batches,
        // and a retry that went back further than the failed chunk would show.
        EmbeddedCluster.Settings settings = EmbeddedCluster.Settings.defaults(Topology.fromClasspath("topology-test.json"))
                .withPump(new StreamPump.Settings(8, Duration.ofMillis(50), 3, Duration.ofMillis(50)));
        cluster = EmbeddedCluster.start(settings, counter, Decorators.NONE.withStores(faults));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    @Test
    void aChunkFailingOnOneReplicaIsRetriedFromItsFirstRecordWithNoGapAndNoDoubleEffect() throws Exception {
        String shard = "a-l";
        // The client keys of every apply request each replica got, in order (the failed one included).
        Map<Integer, List<List<String>>> calls = Map.of(1, Collections.synchronizedList(new ArrayList<>()),
                2, Collections.synchronizedList(new ArrayList<>()));
        AtomicReference<List<String>> failed = new AtomicReference<>();
        cluster.pump(shard).pause();
        Thread.sleep(300); // let a delivery in flight finish
        for (int replica = 1; replica <= 2; replica++) {
            int r = replica;
            faults.inject(cluster.topology().replicaTable(shard, r), items -> {
                List<String> keys = items.stream().map(StoredItem::key).filter(k -> k.startsWith("k-")).toList();
                if (!keys.isEmpty()) {
                    calls.get(r).add(keys); // else heartbeats only
                }
                if (r == 2 && keys.contains("k-10") && failed.compareAndSet(null, keys)) {
                    throw new IllegalStateException("injected failure on the chunk of k-10 at replica 2");
                }
            });
        }
        List<WriteResult> writes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            writes.add(cluster.gateway().put("k-%02d".formatted(i), "{\"i\":" + i + "}", Precondition.NONE,
                    ConsistencyToken.EMPTY));
        }
        long retriesBefore = cluster.pump(shard).retries();
        cluster.pump(shard).resume();

        awaitReplicated(shard, writes);

        assertThat(failed.get()).as("the chunk of k-10 failed once on replica 2").isNotNull()
                .as("k-00 is batches earlier").doesNotContain("k-00");
        assertThat(cluster.pump(shard).retries() - retriesBefore).isGreaterThanOrEqualTo(1);
        // The retry starts at the failed chunk's first record: its keys reach both replicas twice (replica 2's
        // first attempt failed, replica 1 takes them again as no-ops), every other key once, nothing before again.
        for (WriteResult w : writes) {
            for (int replica = 1; replica <= 2; replica++) {
                long seen = calls.get(replica).stream().flatMap(List::stream).filter(w.key()::equals).count();
                assertThat(seen).as("deliveries of %s to replica %d", w.key(), replica)
                        .isEqualTo(failed.get().contains(w.key()) ? 2 : 1);
                assertThat(applied.get(w.key() + "/" + replica)).as("%s applied to replica %d", w.key(), replica)
                        .hasValue(1);
            }
        }
    }

    /** Every write is on every replica of the shard as written (no gap), and the watermarks passed the last. */
    static void awaitReplicated(String shard, List<WriteResult> writes) throws InterruptedException {
        ShardEntry entry = cluster.shardMap().shard(shard).orElseThrow();
        long last = writes.get(writes.size() - 1).item().ts();
        for (String table : entry.replicas()) {
            DynamoReplicaStore replica = new DynamoReplicaStore(cluster.dynamo(), table);
            for (WriteResult w : writes) {
                StoredItem copy = awaitVersion(replica, w.key(), w.item().version());
                assertThat(copy).as("%s on %s", w.key(), table).isEqualTo(w.item());
            }
            // The watermark is saved when the batch ends, just after its last item is applied.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (replica.watermark().map(w -> w.ts()).orElse(0L) < last && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(replica.watermark().orElseThrow().ts()).isGreaterThanOrEqualTo(last);
        }
    }

    @Test
    void aPoisonRecordIsParkedAfterTheRetriesAndTheStreamMovesOn() throws Exception {
        String shard = "m-s";
        for (String table : cluster.topology().replicaTables(shard)) {
            faults.inject(table, items -> {
                if (items.stream().anyMatch(item -> item.key().equals("poison"))) {
                    throw new IllegalStateException("this record can never be applied");
                }
            });
        }
        WriteResult poison = cluster.gateway().put("poison", "1", Precondition.NONE, ConsistencyToken.EMPTY);
        WriteResult after = cluster.gateway().put("pz-after", "2", Precondition.NONE, ConsistencyToken.EMPTY);

        ShardEntry entry = cluster.shardMap().shard(shard).orElseThrow();
        for (String table : entry.replicas()) {
            DynamoReplicaStore replica = new DynamoReplicaStore(cluster.dynamo(), table);
            assertThat(awaitVersion(replica, "pz-after", after.item().version())).isEqualTo(after.item());
            assertThat(replica.get("poison")).as("never applied, never half-applied").isEmpty();
        }
        List<ParkedRecords.Parked> parked = cluster.parked().recent().stream()
                .filter(p -> p.shard().equals(shard)).toList();
        assertThat(parked).anySatisfy(p -> assertThat(p.key()).isEqualTo("poison"));
        // A failed chunk is reported from its first record, so a heartbeat just before the poison in its chunk
        // is parked too (the next heartbeat makes up for it); a client record never is.
        assertThat(parked).allSatisfy(p -> assertThat(p.key()).satisfiesAnyOf(
                key -> assertThat(key).isEqualTo("poison"), key -> assertThat(Keys.isReserved(key)).isTrue()));
        assertThat(poison.item().version()).isEqualTo(1);
    }

    static StoredItem awaitVersion(DynamoReplicaStore replica, String key, long version) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            StoredItem item = replica.get(key).orElse(null);
            if (item != null && item.version() >= version) {
                return item;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(key + " v" + version + " never reached " + replica.table());
    }
}
