package dev.shardkv.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.consistency.Consistency;
import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.gateway.ReadOptions;
import dev.shardkv.core.gateway.ReadResult;
import dev.shardkv.core.gateway.WriteResult;
import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.ReplicaStatus;
import dev.shardkv.core.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AWS's shape: each leader's records spread over 4 virtual stream shards, each delivered by 2 concurrent lanes, and
 * one shard held back 2 s. A concurrent history of writes (carrying tokens), session reads and bounded reads must keep
 * every promise: no session read older than the client's own write, no bounded read staler than its bound, and a
 * reported lag never below what is measured from outside for the held-back shard. Halfway through, the held-back
 * shard splits (as a busy partition does) while its lanes still hold records. With one watermark (the newest
 * record applied, whichever lane brought it) the fast lanes cover writes still waiting in the slow one, and all three fail.
 */
class StreamShardsHistoryTest {
    /** Not the heartbeat's shard: a held-back shard with traffic is never idle, and the replicas would serve nothing. */
    static final int HELD = (new VirtualShards.Shape(4, 2, Map.of()).shardOf(Keys.HEARTBEAT_KEY) + 1) % 4;
    static final VirtualShards.Shape SHAPE = new VirtualShards.Shape(4, 2, Map.of(HELD, Duration.ofMillis(2_000)));
    static final String SHARD = "a-l";
    static final long BOUND_MS = 1_000;
    static final int CLIENTS = 4;
    static final long CYCLE_MS = 5_000;
    static final long WRITING_MS = 1_000; // then the clients read for the rest of the cycle
    static final long RUN_MS = 2 * CYCLE_MS;

    static EmbeddedCluster cluster;

    @BeforeAll
    static void start() {
        Topology topology = Topology.fromClasspath("topology-test.json");
        cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(topology)
                .withPump(StreamPump.Settings.DEFAULT.withShape(SHAPE))
                .withHeartbeat(Duration.ofMillis(500), Duration.ofSeconds(30))
                .withWriteThrottleLag(Duration.ZERO)); // the held-back shard would throttle every write
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    record Write(String key, long version, long ackedAt) {
    }

    record BoundedRead(String key, long startedAt, long version, String servedBy) {
    }

    final List<String> keys = new ArrayList<>();
    final List<String> heldKeys = new ArrayList<>();
    final ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<BoundedRead> bounded = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    final AtomicInteger sessionReads = new AtomicInteger();
    final AtomicInteger sessionReadsOnReplicas = new AtomicInteger();
    final AtomicInteger lagSamples = new AtomicInteger();
    long startedAt;

    @Test
    void aHistoryOverConcurrentStreamShardsKeepsEveryReadPromise() throws Exception {
        for (int i = 0; keys.size() < 48; i++) {
            String key = "key-" + i; // all in a-l
            keys.add(key);
            if (SHAPE.shardOf(key) == HELD) {
                heldKeys.add(key);
            }
        }
        assertThat(heldKeys).hasSizeGreaterThan(4);
        awaitKnownLag();
        startedAt = System.currentTimeMillis();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            threads.add(Thread.ofVirtual().start(() -> run(() -> client(client))));
        }
        threads.add(Thread.ofVirtual().start(() -> run(this::probe)));
        threads.add(Thread.ofVirtual().start(() -> run(() -> {
            // Halfway through the second cycle's writes the held-back shard splits: its lanes still hold records, so
            // its children must wait for them (parents before children), then carry its keys on without the delay.
            Thread.sleep(CYCLE_MS + WRITING_MS / 2);
            cluster.pump(SHARD).splitStreamShard(HELD);
        })));
        for (Thread t : threads) {
            t.join(RUN_MS + 30_000);
        }
        checkBoundedReads();

        assertThat(violations).as("violations").isEmpty();
        // The history exercised the replicas: reads that only ever reached the leader would prove nothing.
        assertThat(sessionReadsOnReplicas.get()).as("session reads a replica answered of %d", sessionReads.get())
                .isPositive();
        assertThat(bounded.stream().filter(r -> r.servedBy().contains("replica")).count())
                .as("bounded reads a replica answered").isPositive();
        assertThat(lagSamples.get()).as("lag samples of a write waiting in the held-back shard").isGreaterThan(20);
        assertThat(cluster.pump(SHARD).openLanes()).as("the held-back shard split, and its lanes ended")
                .contains("vs" + HELD + "a/0", "vs" + HELD + "b/1").doesNotContain("vs" + HELD + "/0", "vs" + HELD + "/1");
    }

    /** A client: writes with its token, then reads back its own writes (session) and anybody's (bounded). */
    private void client(int client) throws InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        ConsistencyToken token = ConsistencyToken.EMPTY;
        Map<String, Long> mine = new HashMap<>();
        while (elapsed() < RUN_MS) {
            if (elapsed() % CYCLE_MS < WRITING_MS) {
                String key = keys.get(random.nextInt(keys.size()));
                WriteResult w = cluster.gateway().put(key, "{\"client\":" + client + "}", Precondition.NONE, token);
                writes.add(new Write(key, w.item().version(), System.currentTimeMillis()));
                token = w.token();
                mine.merge(key, w.item().version(), Math::max);
                sessionRead(key, mine.get(key), token);
            } else if (!mine.isEmpty()) {
                List<String> written = new ArrayList<>(mine.keySet());
                String key = written.get(random.nextInt(written.size()));
                sessionRead(key, mine.get(key), token);
            }
            String any = keys.get(random.nextInt(keys.size()));
            long started = System.currentTimeMillis();
            ReadResult r = cluster.gateway().get(any, new ReadOptions(Consistency.BOUNDED, BOUND_MS, ConsistencyToken.EMPTY));
            bounded.add(new BoundedRead(any, started, r.found() ? r.item().version() : 0, r.servedBy()));
            Thread.sleep(5);
        }
    }

    private void sessionRead(String key, long written, ConsistencyToken token) {
        ReadResult r = cluster.gateway().get(key, new ReadOptions(Consistency.SESSION, 0, token));
        sessionReads.incrementAndGet();
        if (r.servedBy().contains("replica")) {
            sessionReadsOnReplicas.incrementAndGet();
        }
        long read = r.found() ? r.item().version() : 0;
        if (read < written) {
            violations.add("session read of %s from %s returned version %d; the client wrote %d (lanes %s)"
                    .formatted(key, r.servedBy(), read, written, SHAPE.laneOf(key)));
        }
    }

    /**
     * Writes keys of the held-back shard while the clients write, and measures from outside how long each takes to
     * reach a replica: while one is missing there, the replica is at least (now - its acknowledgement) behind, and
     * the lag {@code /v1/replication} reports must not be less.
     */
    private void probe() throws InterruptedException {
        int n = 0;
        List<Write> waiting = new ArrayList<>();
        long nextWrite = 0;
        while (elapsed() < RUN_MS || !waiting.isEmpty() && elapsed() < RUN_MS + 10_000) {
            long now = System.currentTimeMillis();
            if (elapsed() < RUN_MS && elapsed() % CYCLE_MS < WRITING_MS && now >= nextWrite) {
                String key = heldKeys.get(n++ % heldKeys.size());
                WriteResult w = cluster.gateway().put(key, "{\"probe\":" + n + "}", Precondition.NONE, ConsistencyToken.EMPTY);
                Write write = new Write(key, w.item().version(), System.currentTimeMillis());
                writes.add(write);
                waiting.add(write);
                nextWrite = now + 150;
            }
            for (int replica = 1; replica <= 2; replica++) {
                long t = System.currentTimeMillis();
                ReplicaStatus status = cluster.tracker().status(SHARD, replica); // what /v1/replication shows
                String table = cluster.topology().replicaTable(SHARD, replica);
                for (Write w : waiting) {
                    Optional<StoredItem> there = cluster.stores().replica(table).get(w.key());
                    if (there.map(i -> i.version() >= w.version()).orElse(false)) {
                        continue; // visible now (so maybe at t): no lower bound from it
                    }
                    long measured = t - w.ackedAt();
                    lagSamples.incrementAndGet();
                    if (status.lagMs().isEmpty() || status.lagMs().getAsLong() < measured) {
                        violations.add("replica %d reported lag %s while %s (version %d, lane %s) was missing %d ms after its write"
                                .formatted(replica, status.lagMs(), w.key(), w.version(), SHAPE.laneOf(w.key()), measured));
                    }
                }
            }
            waiting.removeIf(w -> {
                for (int replica = 1; replica <= 2; replica++) {
                    Optional<StoredItem> there = cluster.stores().replica(cluster.topology().replicaTable(SHARD, replica))
                            .get(w.key());
                    if (!there.map(i -> i.version() >= w.version()).orElse(false)) {
                        return false;
                    }
                }
                return true;
            });
            Thread.sleep(20);
        }
    }

    /** A bounded read must show every write acknowledged more than the bound before the read began. */
    private void checkBoundedReads() {
        for (BoundedRead r : bounded) {
            long required = writes.stream()
                    .filter(w -> w.key().equals(r.key()) && w.ackedAt() < r.startedAt() - BOUND_MS)
                    .mapToLong(Write::version).max().orElse(0);
            if (r.version() < required) {
                violations.add("bounded read (%d ms) of %s from %s returned version %d; version %d was acknowledged more than %d ms before it (lane %s)"
                        .formatted(BOUND_MS, r.key(), r.servedBy(), r.version(), required, BOUND_MS, SHAPE.laneOf(r.key())));
            }
        }
    }

    private long elapsed() {
        return System.currentTimeMillis() - startedAt;
    }

    private interface Body {
        void run() throws Exception;
    }

    private void run(Body body) {
        try {
            body.run();
        } catch (Exception e) {
            violations.add("a client failed: " + e);
        }
    }

    private static void awaitKnownLag() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while ((cluster.tracker().lag(SHARD, 1).isEmpty() || cluster.tracker().lag(SHARD, 2).isEmpty())
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }
}
