package dev.shardkv.core.shard;

import dev.shardkv.core.store.Fence;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Commit, then confirm. A write on the leader is acknowledged only when a strongly consistent read of
 * the shard's {@link Fence}, started after the write committed, finds the shard open: so every
 * acknowledged write committed before any freeze, whatever shard map its writer held. (A condition on
 * every write cannot do this in DynamoDB: a freeze must refuse keys that do not exist yet, and a
 * transaction with a check on a fence item costs four write units and a read per write.)
 *
 * <p>Concurrent writes share reads, as a group commit does: at most one read is in flight, and every
 * write that committed before the next read starts waits for that one.
 */
final class FenceGate {
    /** How old a fence read may be for a write to go ahead on it (the confirmation decides in any case). */
    static final Duration FRESH = Duration.ofMillis(100);
    private final Supplier<Fence> read;
    private final long freshNanos;
    private final Object lock = new Object();
    private CompletableFuture<Fence> inFlight;
    private CompletableFuture<Fence> next;
    private volatile Fence last = Fence.OPEN;
    private volatile long lastReadStarted = Long.MIN_VALUE;

    FenceGate(Supplier<Fence> read) {
        this(read, FRESH);
    }

    FenceGate(Supplier<Fence> read, Duration fresh) {
        this.read = read;
        this.freshNanos = fresh.toNanos();
    }

    /**
     * Before a write: a shard last seen open within {@link #FRESH} is taken as open; otherwise (frozen, or
     * not read lately) the fence is read first, so that a writer idle since before a freeze refuses cleanly
     * instead of writing a doubt. Only a write racing the freeze can then be in doubt.
     */
    Fence beforeWrite() {
        boolean fresh = lastReadStarted != Long.MIN_VALUE && System.nanoTime() - lastReadStarted < freshNanos;
        return !last.frozen() && fresh ? last : confirm();
    }

    /** The fence as a read started after this call sees it. */
    Fence confirm() {
        CompletableFuture<Fence> mine;
        boolean start;
        synchronized (lock) {
            if (next == null) {
                next = new CompletableFuture<>();
            }
            mine = next;
            start = inFlight == null;
            if (start) {
                inFlight = mine;
                next = null;
            }
        }
        if (start) {
            run(mine);
        }
        try {
            return mine.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Reads for one round, then starts the round that gathered meanwhile (on a thread of its own). */
    private void run(CompletableFuture<Fence> round) {
        try {
            long started = System.nanoTime();
            Fence fence = read.get();
            last = fence;
            lastReadStarted = started;
            round.complete(fence);
        } catch (RuntimeException e) {
            round.completeExceptionally(e);
        }
        CompletableFuture<Fence> following;
        synchronized (lock) {
            following = next;
            next = null;
            inFlight = following;
        }
        if (following != null) {
            Thread.ofVirtual().name("fence-read").start(() -> run(following));
        }
    }
}
