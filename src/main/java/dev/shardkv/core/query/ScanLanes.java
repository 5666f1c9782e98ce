package dev.shardkv.core.query;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many table scans may run at once in this process. A scan page keeps the store busy far longer
 * than a single-key operation (DynamoDB Local runs every table on one SQLite thread), so unbounded
 * concurrent queries queue up in front of every put and get. With a few lanes a key-value operation
 * waits behind at most that many scan pages; queries wait for a lane instead, up to their deadline.
 */
public final class ScanLanes {
    /**
     * One lane: DynamoDB Local has one SQLite thread, so a second concurrent scan page adds no throughput,
     * only a second page for every put and get to wait behind (./shardkv bench storm: PUT p99 in a query
     * storm 2.2-2.5x of alone with one lane, 6-17x with two).
     */
    public static final ScanLanes SHARED = new ScanLanes(1);

    private final Semaphore lanes;

    public ScanLanes(int lanes) {
        this.lanes = new Semaphore(lanes, true);
    }

    /** Takes a lane, waiting at most until {@code deadline} (epoch ms); false when none came free in time. */
    public boolean enter(long deadline, long now) throws InterruptedException {
        return lanes.tryAcquire(Math.max(0, deadline - now), TimeUnit.MILLISECONDS);
    }

    public void leave() {
        lanes.release();
    }

    public int free() {
        return lanes.availablePermits();
    }
}
