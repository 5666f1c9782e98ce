package dev.shardkv.embedded;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How many shard-function invocations run at once in the embedded runtime, as an AWS account's Lambda
 * concurrency limit bounds them there. Without a bound every client connection puts its own request in
 * front of DynamoDB Local's single SQLite queue, and the replicators, which wait in the same queue,
 * fall behind without limit (BENCHMARKS.md: at 16 connections on one hot shard, replication delay p99
 * 4.6 s unbounded, 0.8 s with six slots and the write throttle, at a higher throughput). An invocation waits its turn (fairly) up to {@code maxWait}, then is
 * refused the way Lambda refuses one: TooManyRequestsException, which the gateway answers with 503 and
 * Retry-After.
 */
final class FunctionConcurrency {
    private final Semaphore slots;
    private final int limit;
    private final long maxWaitMs;

    FunctionConcurrency(int limit, Duration maxWait) {
        this.limit = limit;
        this.slots = new Semaphore(limit, true);
        this.maxWaitMs = maxWait.toMillis();
    }

    <T> T invoke(String function, Supplier<T> call) {
        boolean admitted;
        try {
            admitted = slots.tryAcquire(maxWaitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to invoke " + function, e);
        }
        if (!admitted) {
            throw new TooManyRequestsException("TooManyRequestsException: " + function + " waited " + maxWaitMs
                    + " ms for one of the runtime's " + limit + " function slots (shardkv.function-slots)");
        }
        try {
            return call.get();
        } finally {
            slots.release();
        }
    }

    /** Named as Lambda's error, which the gateway recognises as a throttle. */
    static final class TooManyRequestsException extends RuntimeException {
        TooManyRequestsException(String message) {
            super(message);
        }
    }
}
