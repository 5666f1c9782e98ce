package dev.shardkv.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.gateway.WriteResult;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.ApplyResult;
import dev.shardkv.core.replication.ChangeRecord;
import dev.shardkv.core.replication.ReplicationListener;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.dynamodb.DynamoReplicaStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults in the replicator, through the real path: DynamoDB Local's stream, the stream pump (the
 * event source mapping's stand-in), the Lambda handler and its batch item failures.
 */
class ReplicationFaultTest {
    static EmbeddedCluster cluster;
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
        cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(Topology.fromClasspath("topology-test.json")),
                counter);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void removeHooks() {
        cluster.shardMap().shards().forEach(s -> cluster.replicator(s.id()).setHook(null));
    }

    @Test
    void aRecordFailingMidBatchIsRetriedFromThatRecordWithNoGapAndNoDoubleEffect() throws Exception {
        String shard = "a-l";
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean failedOnce = new AtomicBoolean();
        cluster.pump(shard).pause();
        Thread.sleep(300); // let a delivery in flight finish
        cluster.replicator(shard).setHook((s, replica, record) -> {
            if (!record.key().startsWith("k-")) {
                return; // heartbeats
            }
            calls.add(record.key() + "/" + replica);
            if (record.key().equals("k-10") && replica == 2 && failedOnce.compareAndSet(false, true)) {
                calls.add("FAIL");
                throw new IllegalStateException("injected failure on k-10 at replica 2");
            }
        });
        List<WriteResult> writes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            writes.add(cluster.gateway().put("k-%02d".formatted(i), "{\"i\":" + i + "}", Precondition.NONE,
                    ConsistencyToken.EMPTY));
        }
        long batchesBefore = cluster.pump(shard).batchesDelivered();
        cluster.pump(shard).resume();

        ShardEntry entry = cluster.shardMap().shard(shard).orElseThrow();
        for (String table : entry.replicas()) {
            DynamoReplicaStore replica = new DynamoReplicaStore(cluster.dynamo(), table);
            for (WriteResult w : writes) {
                StoredItem copy = awaitVersion(replica, w.key(), w.item().version());
                assertThat(copy).as("%s on %s", w.key(), table).isEqualTo(w.item());
            }
            // The watermark is saved when the batch ends, just after its last item is applied.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (replica.watermark().map(w -> w.ts()).orElse(0L) < writes.get(19).item().ts()
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(replica.watermark().orElseThrow().ts()).isGreaterThanOrEqualTo(writes.get(19).item().ts());
        }

        assertThat(failedOnce).isTrue();
        // Replicas take a batch in parallel passes, so calls interleave; count them instead. Replica 1's
        // pass went through; replica 2's stopped at k-10. The retry delivers k-10..k-19 to both, and
        // nothing before k-10.
        for (int i = 0; i < 20; i++) {
            String key = "k-%02d".formatted(i);
            for (int replica = 1; replica <= 2; replica++) {
                String call = key + "/" + replica;
                long seen = calls.stream().filter(call::equals).count();
                long expected = i < 10 ? 1 : replica == 1 || i == 10 ? 2 : 1;
                assertThat(seen).as("deliveries of %s", call).isEqualTo(expected);
            }
        }
        assertThat(calls.indexOf("FAIL")).isPositive();
        assertThat(cluster.pump(shard).batchesDelivered() - batchesBefore).isGreaterThanOrEqualTo(2);
        for (WriteResult w : writes) {
            for (int replica = 1; replica <= 2; replica++) {
                assertThat(applied.get(w.key() + "/" + replica)).as("%s applied to replica %d", w.key(), replica)
                        .hasValue(1);
            }
        }
    }

    @Test
    void aPoisonRecordIsParkedAfterTheRetriesAndTheStreamMovesOn() throws Exception {
        String shard = "m-s";
        cluster.replicator(shard).setHook((s, replica, record) -> {
            if (record.key().equals("poison")) {
                throw new IllegalStateException("this record can never be applied");
            }
        });
        WriteResult poison = cluster.gateway().put("poison", "1", Precondition.NONE, ConsistencyToken.EMPTY);
        WriteResult after = cluster.gateway().put("pz-after", "2", Precondition.NONE, ConsistencyToken.EMPTY);

        ShardEntry entry = cluster.shardMap().shard(shard).orElseThrow();
        for (String table : entry.replicas()) {
            DynamoReplicaStore replica = new DynamoReplicaStore(cluster.dynamo(), table);
            assertThat(awaitVersion(replica, "pz-after", after.item().version())).isEqualTo(after.item());
            assertThat(replica.get("poison")).as("never applied, never half-applied").isEmpty();
        }
        assertThat(cluster.parked().recent()).anySatisfy(p -> {
            assertThat(p.shard()).isEqualTo(shard);
            assertThat(p.key()).isEqualTo("poison");
        });
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
