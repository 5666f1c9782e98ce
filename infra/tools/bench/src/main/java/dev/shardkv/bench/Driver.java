package dev.shardkv.bench;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;

/** Runs a load's workers for a fixed time, paced or not, and counts what their requests came to. */
final class Driver {
    /** @param throttled writes refused with 429 by the write throttle (not errors: the system pushing back) */
    record Phase(long reads, long writes, long throttled, long errors, double seconds, Stats latency) {
        double perSecond(long n) {
            return n / seconds;
        }
    }

    interface Work {
        void run(int worker, long n);
    }

    interface MeasuredWork {
        void run(int worker, long n, Stats stats);
    }

    final LongAdder reads = new LongAdder();
    final LongAdder writes = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder throttled = new LongAdder();
    private final int concurrency;
    private final int rate;

    /** @param rate requests/s in total over all workers, paced; 0 = as fast as they go */
    Driver(int concurrency, int rate) {
        this.concurrency = concurrency;
        this.rate = rate;
    }

    /** Runs the workers for {@code d} from counters at zero and returns what they did. */
    Phase measure(Duration d, MeasuredWork work) {
        reads.reset();
        writes.reset();
        errors.reset();
        throttled.reset();
        Stats latency = new Stats();
        long start = System.nanoTime();
        drive(d, i -> { }, (worker, n) -> work.run(worker, n, latency));
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Phase(reads.sum(), writes.sum(), throttled.sum(), errors.sum(), seconds, latency);
    }

    /** Runs {@code concurrency} workers for {@code d}; paced to {@code rate} requests/s in total when set. */
    void drive(Duration d, IntConsumer setup, Work work) {
        long start = System.nanoTime();
        long end = start + d.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            pool.submit(() -> {
                setup.accept(worker);
                for (long n = 0; System.nanoTime() < end; n++) {
                    if (rate > 0) {
                        long due = start + (long) ((n * concurrency + worker) * 1e9 / rate);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            try {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                        if (System.nanoTime() >= end) {
                            return;
                        }
                    }
                    work.run(worker, n);
                }
            });
        }
        pool.shutdown();
        try {
            pool.awaitTermination(d.toMillis() + 60_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }
}
