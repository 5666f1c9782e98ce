package dev.shardkv.core.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.store.Fence;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Commit, then confirm: every confirmation comes from a read started after it was asked for; reads are shared. */
@Timeout(10)
class FenceGateTest {
    final AtomicReference<Fence> stored = new AtomicReference<>(Fence.OPEN);
    final AtomicInteger reads = new AtomicInteger();

    @Test
    void aConfirmationReadsTheFenceAfterItIsAskedFor() {
        FenceGate gate = new FenceGate(() -> {
            reads.incrementAndGet();
            return stored.get();
        });
        assertThat(gate.confirm().frozen()).isFalse();
        stored.set(new Fence(true, "op-1"));
        assertThat(gate.confirm()).as("a freeze before the call is seen").isEqualTo(new Fence(true, "op-1"));
        assertThat(reads).hasValue(2);
    }

    @Test
    void aShardSeenOpenLatelyIsTakenAsOpenAndOneFrozenOrNotReadLatelyIsReadAgain() {
        FenceGate gate = new FenceGate(() -> {
            reads.incrementAndGet();
            return stored.get();
        }, java.time.Duration.ofHours(1));
        assertThat(gate.beforeWrite().frozen()).isFalse();
        assertThat(reads).as("never read: read first").hasValue(1);
        assertThat(gate.beforeWrite().frozen()).isFalse();
        assertThat(reads).as("read lately and open: the confirmation after the write decides").hasValue(1);
        stored.set(new Fence(true, "op-1"));
        gate.confirm();
        assertThat(gate.beforeWrite().frozen()).isTrue();
        stored.set(Fence.OPEN); // the operation aborted
        assertThat(gate.beforeWrite().frozen()).isFalse();
        assertThat(reads).hasValue(4);

        FenceGate stale = new FenceGate(() -> {
            reads.incrementAndGet();
            return stored.get();
        }, java.time.Duration.ZERO);
        stale.confirm();
        stored.set(new Fence(true, "op-2")); // frozen while this writer was idle
        assertThat(stale.beforeWrite().frozen()).as("refused before writing, not written in doubt").isTrue();
    }

    @Test
    void writesThatCommitWhileAReadIsInFlightShareTheNextReadAndNoneUsesTheOneInFlight() throws Exception {
        CountDownLatch firstReadStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstRead = new CountDownLatch(1);
        FenceGate gate = new FenceGate(() -> {
            int n = reads.incrementAndGet();
            if (n == 1) {
                firstReadStarted.countDown();
                await(releaseFirstRead);
                return Fence.OPEN; // what the shard was when the first read started
            }
            return stored.get();
        });
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            Future<Fence> first = pool.submit(gate::confirm);
            assertThat(firstReadStarted.await(5, TimeUnit.SECONDS)).isTrue();
            stored.set(new Fence(true, "op-1")); // frozen after the first read started
            List<Future<Fence>> later = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                later.add(pool.submit(gate::confirm));
            }
            Thread.sleep(100); // all eight are waiting behind the read in flight
            releaseFirstRead.countDown();
            assertThat(first.get().frozen()).isFalse();
            for (Future<Fence> f : later) {
                assertThat(f.get().frozen()).as("a write after the freeze never takes the earlier read's open").isTrue();
            }
            assertThat(reads).as("one read in flight, one shared by the eight").hasValue(2);
        } finally {
            releaseFirstRead.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedReadFailsTheWritesWaitingForItAndTheNextOneReadsAgain() {
        AtomicInteger calls = new AtomicInteger();
        FenceGate gate = new FenceGate(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("DynamoDB is down");
            }
            return Fence.OPEN;
        });
        assertThatThrownBy(gate::confirm).isInstanceOf(IllegalStateException.class).hasMessage("DynamoDB is down");
        assertThat(gate.confirm().frozen()).isFalse();
    }

    @Test
    void theFenceItemReadsAsItWasWritten() {
        assertThat(Fence.of(java.util.Optional.empty())).isEqualTo(Fence.OPEN);
        Fence frozen = new Fence(true, "op-7");
        assertThat(Fence.of(java.util.Optional.of(dev.shardkv.core.kv.StoredItem.live("f", frozen.json(), 1, 1))))
                .isEqualTo(frozen);
        assertThat(Fence.of(java.util.Optional.of(dev.shardkv.core.kv.StoredItem.live("f", Fence.OPEN.json(), 2, 2))))
                .isEqualTo(Fence.OPEN);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
