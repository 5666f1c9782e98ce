package dev.shardkv.local;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Lets SIGTERM or Ctrl-C end a start-up that hangs. Quarkus's shutdown hook waits for a start in
 * progress to finish ({@code Application.awaitShutdown}) and nothing interrupts that start, so a
 * start stuck in a {@code @Startup} bean (DynamoDB Local retrying a database file it cannot open,
 * every 3 s, forever) made the process ignore the signal. While armed, this hook interrupts the
 * starting thread, and halts the JVM if the start has still not given up after a grace period.
 */
final class StartupGuard implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StartupGuard.class);
    static final Duration GRACE = Duration.ofSeconds(10);
    /** As the JVM exits on SIGTERM. */
    static final int HALT_STATUS = 143;

    private final Thread starter;
    private final Duration grace;
    private final Runnable halt;
    private final CountDownLatch started = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onShutdown, "shardkv-startup-guard");

    StartupGuard(Thread starter, Duration grace, Runnable halt) {
        this.starter = starter;
        this.grace = grace;
        this.halt = halt;
    }

    /** Guards the calling thread's start until {@link #close()}. */
    static StartupGuard arm() {
        StartupGuard guard = new StartupGuard(Thread.currentThread(), GRACE,
                () -> Runtime.getRuntime().halt(HALT_STATUS));
        Runtime.getRuntime().addShutdownHook(guard.hook);
        return guard;
    }

    /** The shutdown hook: the process is stopping while the start is still running. */
    void onShutdown() {
        if (started.getCount() == 0) {
            return;
        }
        LOG.warn("Stop requested during start-up: interrupting the start");
        starter.interrupt();
        try {
            if (started.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.errorf("The start did not give up within %d ms of the stop request; halting", grace.toMillis());
        halt.run();
    }

    /** The start is over (done or failed): the normal shutdown takes it from here. */
    @Override
    public void close() {
        started.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // Shutting down already (the hook then returns at once), or never registered (tests).
        }
    }
}
