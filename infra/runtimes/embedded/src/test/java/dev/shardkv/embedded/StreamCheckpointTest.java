package dev.shardkv.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.gateway.WriteResult;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.replication.ApplyResult;
import dev.shardkv.core.replication.ChangeRecord;
import dev.shardkv.core.replication.ReplicationListener;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.dynamodb.DynamoReplicaStore;
import dev.shardkv.dynamodb.TableProvisioner;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** With a data directory, each leader stream's pump resumes after a restart from where it left off. */
class StreamCheckpointTest {
    /** Two leader streams, one replica each: every write on disk costs an fsync or two, so keep them few. */
    static final Topology TOPOLOGY = Topology.parse("""
            {"prefix":"ckpt","routing":"range","shards":[
              {"id":"a-l","end":"m","replicas":1},
              {"id":"m-z","start":"m","replicas":1}]}""");
    static final Map<String, String> PREFIX = Map.of("a-l", "b-", "m-z", "n-");
    /** A small batch, so that a replay from the oldest record is many batches. */
    static final int BATCH_SIZE = 20;
    static final int PER_SHARD = 100;

    /** Every record the replicator was handed and applied, per shard, as seen by replica 1 (which sees them all). */
    static final class Seen implements ReplicationListener {
        final Map<String, List<BigInteger>> sequenceNumbers = new ConcurrentHashMap<>();
        final Map<String, List<String>> keys = new ConcurrentHashMap<>();

        @Override
        public void applied(String shard, int replica, ChangeRecord record, ApplyResult result, long appliedAt) {
            if (replica == 1) {
                sequenceNumbers.computeIfAbsent(shard, k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(new BigInteger(record.sequenceNumber()));
                keys.computeIfAbsent(shard, k -> Collections.synchronizedList(new ArrayList<>())).add(record.key());
            }
        }

        BigInteger max(String shard) {
            synchronized (list(shard)) {
                return list(shard).stream().max(BigInteger::compareTo).orElse(BigInteger.ZERO);
            }
        }

        List<String> keys(String shard) {
            return List.copyOf(keys.getOrDefault(shard, List.of()));
        }

        long atOrBelow(String shard, BigInteger sequenceNumber) {
            synchronized (list(shard)) {
                return list(shard).stream().filter(s -> s.compareTo(sequenceNumber) <= 0).count();
            }
        }

        private List<BigInteger> list(String shard) {
            return sequenceNumbers.computeIfAbsent(shard, k -> Collections.synchronizedList(new ArrayList<>()));
        }
    }

    @Test
    @Timeout(120)
    void aRestartHandsTheReplicatorAtMostOneBatchOfRecordsItAlreadyApplied(@TempDir Path dir) throws Exception {
        EmbeddedCluster.Settings settings = EmbeddedCluster.Settings.defaults(TOPOLOGY).withDataDir(dir)
                .withPump(new StreamPump.Settings(BATCH_SIZE, StreamPump.Settings.DEFAULT.pollInterval(),
                        StreamPump.Settings.DEFAULT.maxRetries(), StreamPump.Settings.DEFAULT.retryBackoff()));
        Seen first = new Seen();
        try (EmbeddedCluster cluster = EmbeddedCluster.start(settings, first)) {
            for (int i = 0; i < PER_SHARD; i++) {
                for (String prefix : PREFIX.values()) {
                    cluster.gateway().put(prefix + "%03d".formatted(i), "{\"i\":" + i + "}", Precondition.NONE,
                            ConsistencyToken.EMPTY);
                }
            }
            // A shard's records are applied in order: its last key on every replica means all of them are there.
            for (String shard : PREFIX.keySet()) {
                awaitOnEveryReplica(cluster, shard, PREFIX.get(shard) + "%03d".formatted(PER_SHARD - 1));
            }
        }

        Seen second = new Seen();
        try (EmbeddedCluster cluster = EmbeddedCluster.start(settings, second)) {
            for (String shard : PREFIX.keySet()) {
                String key = PREFIX.get(shard) + "after-restart";
                WriteResult w = cluster.gateway().put(key, "1", Precondition.NONE, ConsistencyToken.EMPTY);
                assertThat(w.shard()).isEqualTo(shard);
                awaitOnEveryReplica(cluster, shard, key); // in order: everything before it was delivered too
            }
            for (String shard : PREFIX.keySet()) {
                BigInteger applied = first.max(shard);
                assertThat(applied).as("records applied on %s before the restart", shard)
                        .isGreaterThanOrEqualTo(BigInteger.valueOf(PER_SHARD));
                assertThat(second.atOrBelow(shard, applied))
                        .as("records of %s applied before the restart and handed to the replicator again", shard)
                        .isLessThanOrEqualTo(BATCH_SIZE);
                assertThat(second.max(shard)).as("DynamoDB Local's sequence numbers of %s continue after a restart", shard)
                        .isGreaterThan(applied);
            }
        }
    }

    @Test
    @Timeout(120)
    void aCheckpointThatNoLongerFitsItsStreamFallsBackToTheOldestRecord(@TempDir Path dir) throws Exception {
        EmbeddedCluster.Settings settings = EmbeddedCluster.Settings.defaults(TOPOLOGY).withDataDir(dir);
        try (EmbeddedCluster cluster = EmbeddedCluster.start(settings)) {
            for (String shard : PREFIX.keySet()) {
                cluster.gateway().put(PREFIX.get(shard) + "before", "1", Precondition.NONE, ConsistencyToken.EMPTY);
                awaitOnEveryReplica(cluster, shard, PREFIX.get(shard) + "before");
            }
        }
        String realShardId;
        try (DynamoDbLocal local = DynamoDbLocal.inProcess(dir)) {
            StreamCheckpoints checkpoints = new StreamCheckpoints(local.dynamo(), TOPOLOGY.controlTable());
            String arn = new TableProvisioner(local.dynamo()).streamArn(TOPOLOGY.leaderTable("a-l"));
            realShardId = local.streams().describeStream(b -> b.streamArn(arn)).streamDescription().shards().get(0).shardId();
            // a-l: a position its stream shard cannot have, and a stream shard that does not exist (any more);
            // m-z: the position of an older stream of the table (say, a deleted and recreated leader).
            checkpoints.save("a-l", arn, Map.of(realShardId, "000000000000000000000",
                    "shardId-00000001000000000000-00000000", "000000000000000000007"));
            checkpoints.save("m-z", arn.replace("/stream/", "/stream/1999"), Map.of(realShardId, "000000000000000000099"));
        }

        Seen replayed = new Seen();
        try (EmbeddedCluster cluster = EmbeddedCluster.start(settings, replayed)) {
            for (String shard : PREFIX.keySet()) {
                String key = PREFIX.get(shard) + "after";
                cluster.gateway().put(key, "1", Precondition.NONE, ConsistencyToken.EMPTY);
                awaitOnEveryReplica(cluster, shard, key);
                assertThat(replayed.keys(shard)).as("%s was read again from its oldest record", shard)
                        .contains(PREFIX.get(shard) + "before");
            }
            // The bad positions are replaced by good ones, and the vanished stream shard is forgotten.
            StreamCheckpoints checkpoints = new StreamCheckpoints(cluster.dynamo(), TOPOLOGY.controlTable());
            String arn = new TableProvisioner(cluster.dynamo()).streamArn(TOPOLOGY.leaderTable("a-l"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!checkpoints.load("a-l", arn).keySet().equals(java.util.Set.of(realShardId))
                    || checkpoints.load("a-l", arn).get(realShardId).equals("000000000000000000000")) {
                assertThat(System.nanoTime()).as("a good checkpoint of a-l is saved").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    @Test
    @Timeout(60)
    void inMemoryNothingIsSaved() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(TOPOLOGY))) {
            cluster.gateway().put("b-memory", "1", Precondition.NONE, ConsistencyToken.EMPTY);
            awaitOnEveryReplica(cluster, "a-l", "b-memory");
            cluster.pump("a-l").close(); // a pump saves its position when it stops, if it has somewhere to
            var keys = cluster.dynamo().scan(b -> b.tableName(TOPOLOGY.controlTable())).items().stream()
                    .map(item -> item.get("pk").s()).toList();
            assertThat(keys).containsExactly("shardmap");
        }
    }

    static void awaitOnEveryReplica(EmbeddedCluster cluster, String shard, String key) throws InterruptedException {
        for (String table : cluster.shardMap().shard(shard).orElseThrow().replicas()) {
            ReplicationFaultTest.awaitVersion(new DynamoReplicaStore(cluster.dynamo(), table), key, 1);
        }
    }
}
