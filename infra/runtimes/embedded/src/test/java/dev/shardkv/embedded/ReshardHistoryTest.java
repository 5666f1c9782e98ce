package dev.shardkv.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.consistency.Consistency;
import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.gateway.BatchGetResult;
import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.gateway.ReadOptions;
import dev.shardkv.core.gateway.ReadResult;
import dev.shardkv.core.gateway.WriteResult;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.reshard.MergeRequest;
import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.reshard.OperationState;
import dev.shardkv.core.reshard.Resharder;
import dev.shardkv.core.reshard.Reshards;
import dev.shardkv.core.reshard.SplitRequest;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.tx.TxKind;
import dev.shardkv.core.tx.TxOp;
import dev.shardkv.core.tx.TxOutcome;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.dynamodb.DynamoLeaderStore;
import dev.shardkv.dynamodb.DynamoReplicaStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A split, then a merge back, while clients write (blind, conditional, deletes, transactions over two
 * shards) and read at every consistency (single keys, and strong batch reads), each client the only writer of its keys, so that it knows exactly what every read must
 * see. Checked: no acknowledged write lost, versions go on by one across both cutovers, session and
 * strong reads see exactly the client's last write, eventual and bounded reads never see a version it
 * did not write, every key on the leader its range names and on no other, and every replica converges.
 */
@Timeout(180)
class ReshardHistoryTest {
    private static final int CLIENTS = 3;
    private static final List<String> PREFIXES = List.of("b", "e", "f", "g", "h", "k", "n", "u");

    @Test
    void splitThenMergeUnderLoadLosesNothing() throws Exception {
        Topology topology = Topology.fromClasspath("topology-test.json");
        EmbeddedCluster.Settings settings = EmbeddedCluster.Settings.defaults(topology)
                .withReshard(Resharder.Settings.DEFAULT.withPageSize(25).withGrace(Duration.ofMillis(300)));
        try (EmbeddedCluster cluster = EmbeddedCluster.start(settings)) {
            Gateway gateway = cluster.gateway();
            List<String> preloaded = preload(gateway, 300);
            AtomicBoolean stop = new AtomicBoolean();
            List<Client> clients = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Client client = new Client(c, gateway, stop);
                clients.add(client);
                threads.add(Thread.ofPlatform().name("client-" + c).start(client));
            }
            Thread.sleep(300);

            Reshards reshards = cluster.reshards();
            Operation split = awaitEnd(reshards, reshards.split(new SplitRequest("a-l", "g", null)));
            assertThat(split.state()).as("split: " + split.error()).isEqualTo(OperationState.DONE);
            assertThat(ReshardHistoryTest.awaitEpoch(cluster, 2)).as("every cache moves to the new map within its max age").isEqualTo(2);
            assertOnItsShardOnly(cluster, preloaded);
            Thread.sleep(300);

            Operation merge = awaitEnd(reshards, reshards.merge(new MergeRequest(List.of("a-f", "g-l"), null)));
            assertThat(merge.state()).as("merge: " + merge.error()).isEqualTo(OperationState.DONE);
            Thread.sleep(300);
            stop.set(true);
            for (Thread thread : threads) {
                thread.join(10_000);
            }

            assertThat(awaitEpoch(cluster, 3)).isEqualTo(3);
            ShardMap map = cluster.shardMap();
            assertThat(map.shards()).extracting(ShardEntry::id).containsExactly("a-l", "m-s", "t-z");
            long acked = 0;
            for (Client client : clients) {
                assertThat(client.violations).as("client " + client.id).isEmpty();
                acked += client.acked;
            }
            assertThat(acked).as("the clients wrote throughout").isGreaterThan(100);
            System.out.printf("history: %d writes acknowledged, %d in doubt, %d refused frozen; pauses %d ms, %d ms%n",
                    acked, clients.stream().mapToLong(c -> c.inDoubt).sum(), clients.stream().mapToLong(c -> c.frozen).sum(),
                    split.writePauseMs(), merge.writePauseMs());
            assertThat(clients.stream().mapToLong(c -> c.inDoubt).sum())
                    .as("a write that committed as its shard froze is settled by the gateway, not left in doubt").isZero();
            assertThat(clients.stream().mapToLong(c -> c.frozen).sum())
                    .as("writes, transactions and strong batch reads wait a cutover out (under 2 s) and go to the new owner")
                    .isZero();
            assertThat(split.writePauseMs()).isNotNull();
            assertThat(merge.writePauseMs()).isNotNull();
            Map<String, StoredItem> expected = new HashMap<>();
            clients.forEach(c -> expected.putAll(c.last));
            assertOnItsShardOnly(cluster, expected.keySet());
            assertLeadersAndReplicasHold(cluster, expected);
        }
    }

    private static List<String> preload(Gateway gateway, int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = (char) ('a' + i % 12) + "-pre-" + i;
            gateway.put(key, "{\"i\":" + i + "}", Precondition.NONE, ConsistencyToken.EMPTY);
            keys.add(key);
        }
        return keys;
    }

    static long awaitEpoch(EmbeddedCluster cluster, long epoch) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (cluster.shardMap().epoch() < epoch && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return cluster.shardMap().epoch();
    }

    static Operation awaitEnd(Reshards reshards, Operation started) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Operation now = started;
        while (now.isActive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            now = reshards.get(started.id());
        }
        return now;
    }

    /** Every key is on the leader table of the shard its range names, and on no other leader of the map. */
    static void assertOnItsShardOnly(EmbeddedCluster cluster, Iterable<String> keys) {
        ShardMap map = cluster.shardMap();
        for (String key : keys) {
            ShardEntry owner = map.route(key);
            for (ShardEntry shard : map.shards()) {
                Optional<StoredItem> held = new DynamoLeaderStore(cluster.dynamo(), shard.leader()).get(key);
                assertThat(held.isPresent()).as(key + " on " + shard.id() + " (owner " + owner.id() + ")")
                        .isEqualTo(shard.equals(owner));
            }
        }
    }

    private static void assertLeadersAndReplicasHold(EmbeddedCluster cluster, Map<String, StoredItem> expected)
            throws InterruptedException {
        ShardMap map = cluster.shardMap();
        for (Map.Entry<String, StoredItem> entry : expected.entrySet()) {
            ShardEntry owner = map.route(entry.getKey());
            StoredItem leader = new DynamoLeaderStore(cluster.dynamo(), owner.leader()).get(entry.getKey()).orElseThrow();
            assertThat(leader.version()).as("no acknowledged write lost: " + entry.getKey() + " acknowledged as "
                    + entry.getValue() + ", " + owner.id() + " holds " + leader).isEqualTo(entry.getValue().version());
            assertThat(leader.isLive()).isEqualTo(entry.getValue().isLive());
            if (leader.isLive()) {
                assertThat(leader.value()).isEqualTo(entry.getValue().value());
            }
            for (String replica : owner.replicas()) {
                StoredItem copy = ReplicationFaultTest.awaitVersion(new DynamoReplicaStore(cluster.dynamo(), replica),
                        entry.getKey(), leader.version());
                assertThat(copy.version()).as(replica + " converges on " + entry.getKey()).isEqualTo(leader.version());
            }
        }
    }

    /**
     * One client: the only writer of its keys. {@code last} is what it knows each key holds; a key whose
     * last write was answered in doubt (the shard froze under it) is learnt again by a blind write.
     */
    static final class Client implements Runnable {
        final int id;
        final Gateway gateway;
        final AtomicBoolean stop;
        final Random random;
        final List<String> keys = new ArrayList<>();
        final Map<String, StoredItem> last = new ConcurrentHashMap<>();
        final Map<String, java.util.Set<String>> written = new HashMap<>(); // every value sent, acknowledged or in doubt
        long inDoubt;
        long frozen;
        final List<String> violations = new CopyOnWriteArrayList<>();
        ConsistencyToken token = ConsistencyToken.EMPTY;
        long acked;
        int sequence;

        Client(int id, Gateway gateway, AtomicBoolean stop) {
            this.id = id;
            this.gateway = gateway;
            this.stop = stop;
            this.random = new Random(id);
            for (String prefix : PREFIXES) {
                for (int i = 0; i < 3; i++) {
                    keys.add(prefix + "-c" + id + "-" + i);
                }
            }
        }

        @Override
        public void run() {
            while (!stop.get() && violations.size() < 10) {
                String key = keys.get(random.nextInt(keys.size()));
                try {
                    step(key);
                } catch (ShardKvException e) {
                    if (e.type() == ProblemType.WRITE_IN_DOUBT) {
                        inDoubt++;
                        last.remove(key); // the write may or may not have happened: the next write tells
                    } else if (e.type() == ProblemType.SHARD_FROZEN) {
                        frozen++; // refused before writing: nothing happened
                    } else {
                        violations.add(key + ": " + e.type() + " " + e.getMessage());
                    }
                } catch (RuntimeException e) {
                    violations.add(key + ": " + e);
                }
            }
        }

        private void step(String key) {
            if (!last.containsKey(key)) {
                write(key, Precondition.NONE, false);
                return;
            }
            StoredItem known = last.get(key);
            int choice = random.nextInt(12);
            if (choice == 10) {
                transfer(key, keys.get(keys.size() - 1 - random.nextInt(6))); // with an n- or u- key: two shards
            } else if (choice == 11) {
                batchRead(List.of(key, keys.get(random.nextInt(keys.size())), keys.get(random.nextInt(keys.size()))));
            } else if (choice < 3) {
                write(key, Precondition.NONE, false);
            } else if (choice < 5) {
                write(key, known.isLive() ? Precondition.ifMatch(known.version()) : Precondition.CREATE_ONLY, false);
            } else if (choice < 6 && known.isLive()) {
                write(key, Precondition.NONE, true);
            } else {
                read(key, known, Consistency.values()[random.nextInt(Consistency.values().length)]);
            }
        }

        private void write(String key, Precondition precondition, boolean delete) {
            StoredItem before = last.get(key);
            String value = "{\"c\":" + id + ",\"n\":" + (++sequence) + "}";
            written.computeIfAbsent(key, k -> new java.util.HashSet<>()).add(value);
            WriteResult result = delete ? gateway.delete(key, precondition, token)
                    : gateway.put(key, value, precondition, token);
            token = token.merge(result.token());
            StoredItem item = result.item();
            if (before != null && item.version() != before.version() + 1) {
                violations.add(key + ": version " + before.version() + " then " + item.version());
            }
            last.put(key, item);
            acked++;
        }

        /** Both keys at once, each on the version this client knows: a transaction over two shards. */
        private void transfer(String a, String b) {
            StoredItem knownA = last.get(a);
            StoredItem knownB = last.get(b);
            if (knownA == null || knownB == null || a.equals(b)) {
                return;
            }
            String value = "{\"c\":" + id + ",\"tx\":" + (++sequence) + "}";
            written.computeIfAbsent(a, k -> new java.util.HashSet<>()).add(value);
            written.computeIfAbsent(b, k -> new java.util.HashSet<>()).add(value);
            Gateway.TxAnswer answer = gateway.transact(List.of(
                    new TxOp(TxKind.PUT, a, value, knownA.isLive() ? knownA.version() : 0L),
                    new TxOp(TxKind.PUT, b, value, knownB.isLive() ? knownB.version() : 0L)), token);
            if (!answer.outcome().committed()) {
                violations.add(a + "+" + b + ": transaction refused: " + answer.outcome().reason() + " "
                        + answer.outcome().failures());
                return;
            }
            token = token.merge(answer.token());
            for (TxOutcome.Result result : answer.outcome().results()) {
                StoredItem before = last.get(result.key());
                if (result.version() != before.version() + 1) {
                    violations.add(result.key() + ": transaction wrote v" + result.version() + " after v" + before.version());
                }
                last.put(result.key(), StoredItem.live(result.key(), value, result.version(), answer.outcome().commitTs()));
            }
            acked++;
        }

        /** A strong batch read sees exactly what this client last wrote to each key. */
        private void batchRead(List<String> some) {
            List<String> distinct = some.stream().distinct().filter(last::containsKey).toList();
            if (distinct.isEmpty()) {
                return;
            }
            for (BatchGetResult.Entry entry : gateway.batchGet(distinct, ReadOptions.STRONG).results()) {
                StoredItem known = last.get(entry.key());
                boolean same = known.isLive() ? entry.item() != null && entry.item().version() == known.version()
                        && known.value().equals(entry.item().value()) : entry.item() == null;
                if (!same) {
                    violations.add(entry.key() + ": strong batch read " + entry.item() + " after writing v" + known.version());
                }
            }
        }

        private void read(String key, StoredItem known, Consistency consistency) {
            ReadOptions options = new ReadOptions(consistency, consistency == Consistency.BOUNDED ? 2_000 : 0,
                    consistency == Consistency.SESSION ? token : ConsistencyToken.EMPTY);
            ReadResult read = gateway.get(key, options);
            long version = read.found() ? read.item().version() : -1;
            boolean exact = consistency == Consistency.STRONG || consistency == Consistency.SESSION;
            if (exact && known.isLive() && (version != known.version() || !known.value().equals(read.item().value()))) {
                violations.add(key + ": " + consistency + " read v" + version + " after writing v" + known.version()
                        + " (" + read.servedBy() + ")");
            } else if (exact && !known.isLive() && read.found() && read.item().isLive()) {
                violations.add(key + ": " + consistency + " read v" + version + " after deleting it at v" + known.version());
            } else if (read.found() && read.item().isLive()) {
                if (!written.getOrDefault(key, java.util.Set.of()).contains(read.item().value())) {
                    violations.add(key + ": " + consistency + " read v" + version + " = " + read.item().value()
                            + ", which this client never wrote (" + read.servedBy() + ")");
                }
            }
        }
    }
}
