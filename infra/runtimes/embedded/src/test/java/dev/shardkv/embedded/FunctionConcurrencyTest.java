package dev.shardkv.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** At most the slots' worth of invocations run at once; one that waits too long is refused as Lambda refuses it. */
class FunctionConcurrencyTest {

    @Test
    void boundsConcurrentInvocationsAndRefusesAfterTheWait() throws Exception {
        FunctionConcurrency slots = new FunctionConcurrency(2, Duration.ofMillis(200));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> a = pool.submit(() -> slots.invoke("f", () -> hold(inside, release)));
            Future<?> b = pool.submit(() -> slots.invoke("f", () -> hold(inside, release)));
            while (inside.get() < 2) {
                Thread.sleep(5);
            }
            long started = System.nanoTime();
            assertThatThrownBy(() -> slots.invoke("shardkv-a-l-writer", () -> "never"))
                    .isInstanceOf(FunctionConcurrency.TooManyRequestsException.class)
                    .hasMessageContaining("TooManyRequestsException").hasMessageContaining("shardkv-a-l-writer");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(2));
            release.countDown();
            a.get(5, TimeUnit.SECONDS);
            b.get(5, TimeUnit.SECONDS);
        }
        assertThat(slots.invoke("f", () -> "ran")).as("slots are given back").isEqualTo("ran");
    }

    private static String hold(AtomicInteger inside, CountDownLatch release) {
        inside.incrementAndGet();
        try {
            release.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "done";
    }
}
