package dev.shardkv.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.consistency.Consistency;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.protocol.ShardClient;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.query.QueryKind;
import dev.shardkv.core.query.ShardQueries;
import dev.shardkv.core.query.ShardQuery;
import dev.shardkv.core.query.ShardQueryResult;
import dev.shardkv.core.replication.ReplicationTracker;
import dev.shardkv.core.store.ControlStore;
import dev.shardkv.core.store.Scannable;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.ShardMapSource;
import dev.shardkv.core.topology.Topology;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's scatter-gather against shards made of in-memory tables (a fake of our own ShardClient
 * and Scannable, no DynamoDB): admission control, the streaming top-n merge, undecodable items.
 */
class ScatterGatherTest {
    static final Topology TOPOLOGY = Topology.parse("""
            {"prefix": "t", "routing": "range", "shards": [
              {"id": "a-l", "end": "m", "replicas": 1},
              {"id": "m-s", "start": "m", "end": "t", "replicas": 1},
              {"id": "t-z", "start": "t", "replicas": 1}]}""");

    final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        clients.shutdownNow();
    }

    /** Every shard is a list of items, scanned by the real ShardQueries; an optional gate holds answers back. */
    static class Shards implements ShardClient {
        final java.util.Map<String, List<StoredItem>> tables = new java.util.HashMap<>();
        volatile CountDownLatch gate = new CountDownLatch(0);

        void put(StoredItem item) {
            tables.computeIfAbsent(ShardMap.initial(TOPOLOGY).route(item.key()).id(), s -> new ArrayList<>()).add(item);
        }

        @Override
        public ShardResponse writer(String shard, ShardRequest request) {
            return answer(shard, request);
        }

        @Override
        public ShardResponse reader(String shard, ShardRequest request) {
            return answer(shard, request);
        }

        @Override
        public ShardResponse coordinator(ShardRequest request) {
            throw new UnsupportedOperationException();
        }

        private ShardResponse answer(String shard, ShardRequest request) {
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<StoredItem> items = tables.getOrDefault(shard, List.of());
            ShardQuery query = ((ShardRequest.Query) request).query();
            ShardQueryResult result = ShardQueries.run(query, table(items), false, Clock.systemUTC());
            return ShardResponse.query(shard, shard + "/leader", request.epoch(), result);
        }

        static Scannable table(List<StoredItem> items) {
            return new Scannable() {
                @Override
                public ScanPage scanLive(String prefix, String after, int pageSize, boolean consistent) {
                    List<StoredItem> sorted = items.stream().sorted(java.util.Comparator.comparing(StoredItem::key))
                            .filter(i -> after == null || i.key().compareTo(after) > 0).toList();
                    List<StoredItem> page = sorted.subList(0, Math.min(pageSize, sorted.size()));
                    return new ScanPage(page, sorted.size() > pageSize ? page.get(page.size() - 1).key() : null);
                }

                @Override
                public CountPage countLive(String prefix, String after, int pageSize, boolean consistent) {
                    return new CountPage(items.size(), null);
                }
            };
        }
    }

    static Gateway gateway(ShardClient shards) {
        ControlStore control = new dev.shardkv.core.testing.FakeControl(ShardMap.initial(TOPOLOGY));
        return new Gateway(new ShardMapSource(control, ShardMap.initial(TOPOLOGY)), shards,
                new ReplicationTracker(Clock.systemUTC(), Duration.ofSeconds(5), Duration.ofSeconds(60)),
                Clock.systemUTC(), null);
    }

    static QueryRequest top(int n) {
        return new QueryRequest(QueryKind.TOP, null, null, "score", n, null, Consistency.STRONG, 2_000);
    }

    @Test
    void aQueryOverTheConcurrencyLimitIsRefusedWith429AndRetryAfterNotQueued() throws Exception {
        Shards shards = new Shards();
        shards.gate = new CountDownLatch(1); // every shard holds its answer until released
        Gateway gateway = gateway(shards);
        List<Future<QueryAnswer>> running = new ArrayList<>();
        for (int i = 0; i < Gateway.DEFAULT_MAX_QUERIES; i++) {
            running.add(clients.submit(() -> gateway.query(top(5))));
        }
        Thread.sleep(300); // they all hold a slot now
        long started = System.nanoTime();
        assertThatThrownBy(() -> gateway.query(top(5)))
                .isInstanceOfSatisfying(ShardKvException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.OVERLOADED);
                    assertThat(e.type().status()).isEqualTo(429);
                    assertThat(e.fields()).containsEntry("retryAfter", 1);
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused promptly, not after a stall")
                .isLessThan(Duration.ofSeconds(1));
        shards.gate.countDown();
        for (Future<QueryAnswer> query : running) {
            assertThat(query.get(5, TimeUnit.SECONDS).partial()).isFalse();
        }
        assertThat(gateway.query(top(5)).partial()).as("slots are given back").isFalse();
    }

    @Test
    void topMergesTheBestNAcrossShards() {
        Shards shards = new Shards();
        List<Integer> scores = new ArrayList<>();
        for (int i = 0; i < 900; i++) {
            int score = (i * 7919) % 1000;
            scores.add(score);
            String key = "abcdefghijklmnopqrstuvwxyz".charAt(i % 26) + "-" + i;
            shards.put(StoredItem.live(key, "{\"score\":" + score + "}", 1, 1));
        }
        QueryAnswer answer = gateway(shards).query(top(50));
        List<Integer> expected = scores.stream().sorted(java.util.Comparator.reverseOrder()).limit(50).toList();
        assertThat(answer.items()).hasSize(50);
        assertThat(answer.items().stream().map(i -> Integer.parseInt(i.value().replaceAll("\\D", ""))).toList())
                .isEqualTo(expected);
        assertThat(answer.partial()).isFalse();
    }

    @Test
    void anUndecodableStoredItemIsReportedAndTheRestOfTheAnswerServed() {
        Shards shards = new Shards();
        shards.put(StoredItem.live("alpha", "{\"score\":1}", 1, 1));
        shards.put(StoredItem.live("bravo", "{\"a\":\"\ud800\"}", 1, 1)); // a raw lone surrogate, written around ShardKV
        shards.put(StoredItem.live("tango", "not json", 1, 1));
        shards.put(StoredItem.live("mike", "{\"score\":3}", 1, 1));
        Gateway gateway = gateway(shards);
        for (QueryRequest q : List.of(top(10),
                new QueryRequest(QueryKind.SCAN, null, null, null, 1000, null, Consistency.STRONG, 2_000))) {
            QueryAnswer answer = gateway.query(q);
            assertThat(answer.items()).extracting(StoredItem::key).containsExactlyInAnyOrder("alpha", "mike");
            assertThat(answer.undecodable()).extracting(QueryAnswer.Undecodable::key)
                    .containsExactlyInAnyOrder("bravo", "tango");
            assertThat(answer.partial()).isFalse();
        }
    }

    @Test
    void aThrottledFunctionIs503WithRetryAfterNotAStall() {
        ShardClient throttled = new Shards() {
            @Override
            public ShardResponse writer(String shard, ShardRequest request) {
                throw new IllegalStateException("TooManyRequestsException: shardkv-a-l-writer waited 1000 ms");
            }
        };
        assertThatThrownBy(() -> gateway(throttled).put("alpha", "1", dev.shardkv.core.kv.Precondition.NONE,
                dev.shardkv.core.consistency.ConsistencyToken.EMPTY))
                .isInstanceOfSatisfying(ShardKvException.class, e -> {
                    assertThat(e.type().status()).isEqualTo(503);
                    assertThat(e.fields()).containsEntry("retryAfter", 1).containsEntry("shard", "a-l");
                });
    }
}
