package dev.shardkv.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A stop request during a start that hangs interrupts it, and halts if the start will not give up. */
@Timeout(30)
class StartupGuardTest {

    @Test
    void aStopRequestInterruptsAStartThatHangsAndWaitsForItToGiveUp() throws Exception {
        AtomicInteger halts = new AtomicInteger();
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch hanging = new CountDownLatch(1);
        StartupGuard[] guard = new StartupGuard[1];
        Thread starter = new Thread(() -> {
            try (StartupGuard g = guard[0]) {
                hanging.countDown();
                new CountDownLatch(1).await(); // a start that never ends by itself
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        guard[0] = new StartupGuard(starter, Duration.ofSeconds(20), halts::incrementAndGet);
        starter.start();
        hanging.await();

        guard[0].onShutdown();

        assertThat(interrupted).isTrue();
        assertThat(halts).hasValue(0);
        starter.join();
    }

    @Test
    void aStartThatIgnoresTheInterruptIsHaltedAfterTheGracePeriod() throws Exception {
        AtomicInteger halts = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Thread starter = new Thread(() -> {
            while (!stop.get()) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException swallowed) {
                    // a start that will not give up
                }
            }
        });
        StartupGuard guard = new StartupGuard(starter, Duration.ofMillis(200), halts::incrementAndGet);
        starter.start();
        try {
            guard.onShutdown();
            assertThat(halts).hasValue(1);
        } finally {
            stop.set(true);
            starter.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    @Test
    void afterTheStartTheGuardDoesNothing() {
        AtomicInteger halts = new AtomicInteger();
        StartupGuard guard = new StartupGuard(Thread.currentThread(), Duration.ofMillis(1), halts::incrementAndGet);
        guard.close();
        guard.onShutdown();
        assertThat(Thread.interrupted()).as("the started thread was left alone").isFalse();
        assertThat(halts).hasValue(0);
    }
}
