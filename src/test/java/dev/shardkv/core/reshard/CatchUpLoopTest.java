package dev.shardkv.core.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.ChangeRecord;
import dev.shardkv.core.store.ChangeFeed;
import dev.shardkv.core.store.Fence;
import dev.shardkv.core.testing.MemoryReplica;
import dev.shardkv.core.topology.RoutingMode;
import dev.shardkv.core.topology.ShardEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The catch-up loop tells the cutover it is caught up only once it has read the expected freeze and then
 * every stream to its tail in a poll that started after: a record of another stream shard that committed
 * before the freeze may come after it. An earlier freeze of the same operation never counts.
 */
@Timeout(10)
class CatchUpLoopTest {
    final MemoryReplica target = new MemoryReplica("t-a-l-leader");
    final ScriptedFeed feed = new ScriptedFeed();
    final CatchUpLoop loop = new CatchUpLoop("op-1", List.of(new CatchUpLoop.Source("a-l", feed,
            new CatchUp("op-1", RoutingMode.RANGE, List.of(new Copier.Target(
                    new ShardEntry("a-l", null, null, "t-a-l-leader", List.of()), target))))), 5);

    /** A stream whose records the test adds, read one poll at a time as the test lets it. */
    static final class ScriptedFeed implements ChangeFeed {
        final List<ChangeRecord> pending = new ArrayList<>();
        final Semaphore permits = new Semaphore(0);
        final AtomicInteger polls = new AtomicInteger();
        volatile boolean waiting;
        int sequence;

        synchronized void add(StoredItem item) {
            pending.add(ChangeRecord.upsert(String.valueOf(++sequence), item));
        }

        void freeze(long version, boolean frozen) {
            add(StoredItem.live(Keys.FENCE_KEY, new Fence(frozen, frozen ? "op-1" : null).json(), version, 1));
        }

        @Override
        public Page next() {
            waiting = true;
            permits.acquireUninterruptibly();
            waiting = false;
            synchronized (this) {
                List<ChangeRecord> page = List.copyOf(pending);
                pending.clear();
                polls.incrementAndGet();
                return new Page(page, true);
            }
        }

        @Override
        public Map<String, String> positions() {
            return Map.of();
        }

        @Override
        public void close() {
            permits.release(1_000);
        }
    }

    @AfterEach
    void stop() {
        loop.close();
    }

    @Test
    void caughtUpOnlyAfterTheExpectedFreezeAndOneMoreWholePoll() throws InterruptedException {
        feed.freeze(3, true); // an earlier cutover's freeze, then the source was opened again
        feed.freeze(4, false);
        feed.add(StoredItem.live("alpha", "1", 1, 10));
        loop.start();
        loop.copied(); // poll at the loop's interval, not the copy's
        poll();
        assertThat(target.get("alpha")).isPresent();

        assertThat(loop.stopIfCaughtUp(List.of(5L))).as("the freeze at version 5 is not read yet").isFalse();
        poll();
        assertThat(loop.stopIfCaughtUp(List.of(5L))).as("the earlier freeze does not count").isFalse();

        feed.freeze(5, true);
        feed.add(StoredItem.live("bravo", "1", 1, 20)); // from another stream shard: committed before the freeze
        poll();
        assertThat(target.get("bravo")).as("records read with or after the freeze are applied").isPresent();
        assertThat(loop.stopIfCaughtUp(List.of(5L))).as("the poll that read the freeze began before it").isFalse();
        poll();
        feed.permits.release(1_000); // free polling again: the loop stops once its current poll is done
        assertThat(loop.stopIfCaughtUp(List.of(5L))).isTrue();
        int stoppedAt = feed.polls.get();
        Thread.sleep(50);
        assertThat(feed.polls.get()).as("stopped: the targets are about to take writes of their own").isEqualTo(stoppedAt);

        feed.permits.drainPermits();
        loop.resume(); // the cutover did not publish: the sources took writes again
        assertThat(loop.stopIfCaughtUp(List.of(7L))).isFalse();
        poll();
        poll();
        assertThat(loop.stopIfCaughtUp(List.of(7L))).as("the next cutover waits for its own freeze").isFalse();
        feed.freeze(7, true);
        poll();
        poll();
        feed.permits.release(1_000);
        assertThat(loop.stopIfCaughtUp(List.of(7L))).isTrue();
    }

    /** The cutover waits on the loop's polls, not on a sleep: a finished poll wakes it at once. */
    @Test
    void aWaitingCutoverWakesWhenAPollFinishes() throws InterruptedException {
        loop.start();
        loop.copied();
        poll();
        long[] waited = new long[1];
        Thread cutover = Thread.ofVirtual().start(() -> {
            long start = System.nanoTime();
            try {
                loop.awaitPoll(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            waited[0] = (System.nanoTime() - start) / 1_000_000;
        });
        Thread.sleep(100);
        poll();
        cutover.join();
        feed.permits.release(1_000); // the loop's next poll would wait for the test: let it go, to close
        assertThat(waited[0]).as("woken by the poll, well before the 5 s bound").isBetween(90L, 2_000L);
    }

    /** Lets the loop make one poll, and waits until it has handled it and asks for the next. */
    private void poll() throws InterruptedException {
        int before = feed.polls.get();
        feed.permits.release();
        while (feed.polls.get() == before || !feed.waiting) {
            Thread.sleep(1);
        }
    }
}
