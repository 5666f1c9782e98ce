package dev.shardkv.core.reshard;

import dev.shardkv.core.store.ChangeFeed;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an operation's catch-up in the background, from before the copy starts until just before the
 * cutover publishes: each source's stream, polled in turn, applied to the targets by {@link CatchUp}.
 * Tells the operation where it is: the stream positions to resume from, whether it is at the streams'
 * tail, and whether it has read every stream to its tail since it met the operation's freeze (then the
 * targets hold every acknowledged write of the sources).
 */
final class CatchUpLoop implements Cutover.CatchingUp, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUpLoop.class);

    /** One source: its stream and the catch-up applying it. */
    record Source(String id, ChangeFeed feed, CatchUp catchUp) {
    }

    /**
     * How long it idles at the tail while the copy runs: each batch has the targets to itself, so many
     * small batches would hold the copy up; bigger, rarer ones cost it little. Nothing waits on it yet.
     */
    static final long WHILE_COPYING_MS = 250;

    private final List<Source> sources;
    private final long pollIntervalMs;
    private final Thread thread;
    private final Object lock = new Object();
    private volatile boolean running = true;
    private volatile long idleMs;
    private boolean paused;
    private boolean polling;
    private boolean atTail;
    private boolean caughtUp;
    private List<Long> expected;
    private long generation; // of the expected freezes: a poll counts only for those it started under
    private long tailSince = -1;
    private long applied;
    private long behind;
    private RuntimeException failure;

    CatchUpLoop(String operation, List<Source> sources, long pollIntervalMs) {
        this.sources = List.copyOf(sources);
        this.pollIntervalMs = pollIntervalMs;
        this.idleMs = Math.max(pollIntervalMs, WHILE_COPYING_MS);
        this.thread = Thread.ofVirtual().name("catch-up-" + operation).unstarted(this::run);
    }

    CatchUpLoop start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            try {
                if (!awaitTurn()) {
                    continue;
                }
                long started = System.currentTimeMillis();
                long fenced = fencedGeneration();
                boolean tail = true;
                long read = 0;
                for (Source source : sources) {
                    ChangeFeed.Page page = source.feed().next();
                    CatchUp.Result result = source.catchUp().apply(page.records());
                    read += page.records().size();
                    synchronized (lock) {
                        applied += result.applied();
                    }
                    tail &= page.atTail();
                }
                finishPoll(started, tail, fenced, read);
                if (tail) {
                    idle();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                synchronized (lock) {
                    failure = e;
                    polling = false;
                    lock.notifyAll();
                }
                if (!running) {
                    return;
                }
                LOG.warn("catch-up: a poll failed; polling again", e);
                sleepQuietly(500);
            }
        }
    }

    // Waits a poll interval at the tail, unless a cutover starts waiting meanwhile: then every millisecond
    // of the wait is a millisecond of write pause, so the next poll goes at once.
    private void idle() throws InterruptedException {
        synchronized (lock) {
            if (expected == null || caughtUp) {
                lock.wait(idleMs);
            }
        }
    }

    /** The generation of the expected freezes if all were read before this poll; else -1. */
    private long fencedGeneration() {
        synchronized (lock) {
            boolean read = expected != null && sources.stream().allMatch(s -> s.catchUp().reachedFence());
            return read ? generation : -1;
        }
    }

    private boolean awaitTurn() throws InterruptedException {
        synchronized (lock) {
            while (paused && running) {
                lock.wait(100);
            }
            polling = running;
            return running;
        }
    }

    // The freezes count only once a whole poll that started after they were read reached every tail: a
    // record of another stream shard that committed before a freeze may come after the freeze record.
    private void finishPoll(long started, boolean tail, long fenced, long read) {
        synchronized (lock) {
            failure = null;
            atTail = tail;
            behind = tail ? 0 : read;
            if (tail) {
                tailSince = started;
            }
            caughtUp |= tail && fenced == generation;
            polling = false;
            lock.notifyAll();
        }
    }

    /** The copy is over: from now on the catch-up is what the operation waits for, so it polls at its interval. */
    void copied() {
        idleMs = pollIntervalMs;
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** Where each source's stream is read to: what a resumed catch-up starts after. */
    Map<String, Map<String, String>> positions() {
        synchronized (lock) {
            Map<String, Map<String, String>> positions = new LinkedHashMap<>();
            sources.forEach(s -> positions.put(s.id(), Map.copyOf(s.feed().positions())));
            return positions;
        }
    }

    /** The last poll read every stream to its tail. */
    boolean atTail() {
        synchronized (lock) {
            return atTail;
        }
    }

    /**
     * The start of the last poll that reached every tail (epoch ms; -1 before any): everything committed
     * before it is applied to the targets.
     */
    long appliedThrough() {
        synchronized (lock) {
            return tailSince;
        }
    }

    /** Records of the sources applied to the targets so far. */
    long applied() {
        synchronized (lock) {
            return applied;
        }
    }

    /** Records known to be waiting: what the last poll read when it did not reach the tail (a floor). */
    long behind() {
        synchronized (lock) {
            return behind;
        }
    }

    /** The last poll's failure, if it failed. */
    RuntimeException failure() {
        synchronized (lock) {
            return failure;
        }
    }

    /**
     * Whether every source's freeze (by its fence version, in source order) has been read and every
     * stream read to its tail since; if so the loop stops before answering (the targets are about to take
     * writes of their own), until {@link #resume}.
     */
    boolean stopIfCaughtUp(List<Long> freezes) {
        synchronized (lock) {
            if (!freezes.equals(expected)) {
                expected = List.copyOf(freezes);
                generation++;
                caughtUp = false;
                lock.notifyAll(); // wake the loop: the freezes are in the streams already
                for (int i = 0; i < sources.size(); i++) {
                    sources.get(i).catchUp().expectFreeze(freezes.get(i));
                }
                return false;
            }
            if (!caughtUp) {
                return false;
            }
            paused = true;
            while (polling) {
                try {
                    lock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public boolean caughtUp(List<Long> freezes) {
        return stopIfCaughtUp(freezes);
    }

    /** Returns when a poll finishes (its end notifies the lock), or after {@code maxMs}. */
    @Override
    public void awaitPoll(long maxMs) throws InterruptedException {
        synchronized (lock) {
            if (!paused) {
                lock.wait(maxMs);
            }
        }
    }

    /** Polls again after a cutover that did not publish (the sources are open again). */
    void resume() {
        synchronized (lock) {
            paused = false;
            caughtUp = false;
            expected = null;
            generation++;
            lock.notifyAll();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sources.forEach(s -> s.feed().close());
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
