package dev.shardkv.core.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.store.Scannable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** However many queries run, at most the lanes' worth of scan pages reach the store at once. */
class ScanLanesTest {

    @Test
    void concurrentQueriesShareTheLanesAndEveryOneFinishes() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<StoredItem> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            items.add(StoredItem.live(String.format("k%04d", i), "{\"score\":" + i + "}", 1, 1));
        }
        Scannable slow = new Scannable() {
            @Override
            public ScanPage scanLive(String prefix, String after, int pageSize, boolean consistent) {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inside.decrementAndGet();
                }
                List<StoredItem> rest = items.stream().filter(i -> after == null || i.key().compareTo(after) > 0).toList();
                List<StoredItem> page = rest.subList(0, Math.min(pageSize, rest.size()));
                return new ScanPage(page, rest.size() > pageSize ? page.get(page.size() - 1).key() : null);
            }

            @Override
            public CountPage countLive(String prefix, String after, int pageSize, boolean consistent) {
                return new CountPage(0, null);
            }
        };
        ScanLanes lanes = new ScanLanes(2);
        ShardQuery top = new ShardQuery(QueryKind.TOP, null, null, "score", 10, null, System.currentTimeMillis() + 20_000);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ShardQueryResult>> results = new ArrayList<>();
            for (int q = 0; q < 12; q++) {
                results.add(pool.submit(() -> ShardQueries.run(top, slow, false, Clock.systemUTC(), lanes)));
            }
            for (Future<ShardQueryResult> result : results) {
                ShardQueryResult r = result.get();
                assertThat(r.complete()).isTrue();
                assertThat(r.items().get(0).key()).isEqualTo("k0999");
            }
        }
        assertThat(most.get()).as("scan pages in the store at once").isEqualTo(2);
        assertThat(lanes.free()).isEqualTo(2);
    }

    @Test
    void aQueryThatGetsNoLaneBeforeItsDeadlineEndsIncompleteInsteadOfWaiting() throws Exception {
        ScanLanes lanes = new ScanLanes(1);
        assertThat(lanes.enter(System.currentTimeMillis() + 1000, System.currentTimeMillis())).isTrue();
        Scannable empty = new Scannable() {
            @Override
            public ScanPage scanLive(String prefix, String after, int pageSize, boolean consistent) {
                return new ScanPage(List.of(), null);
            }

            @Override
            public CountPage countLive(String prefix, String after, int pageSize, boolean consistent) {
                return new CountPage(0, null);
            }
        };
        ShardQuery count = new ShardQuery(QueryKind.COUNT, null, null, null, 0, null, System.currentTimeMillis() + 100);
        long started = System.nanoTime();
        ShardQueryResult result = ShardQueries.run(count, empty, false, Clock.systemUTC(), lanes);
        assertThat(result.complete()).isFalse();
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_000);
        lanes.leave();
    }
}
