package dev.shardkv.core.gateway;

import java.util.Arrays;

/**
 * One shard's reads, writes and bytes over a sliding window of fixed buckets (ten of one second: the last
 * ten seconds), as rates. A bucket is reused, emptied, once its second has passed out of the window; a
 * bucket that belongs to another second (older, or ahead after the clock went back) is never summed.
 * Not thread-safe: its owner locks.
 */
final class LoadWindow {
    private final long bucketMs;
    private final long[] slot; // the bucket number (time / bucketMs) each index holds
    private final long[] reads;
    private final long[] writes;
    private final long[] bytes;

    LoadWindow(long bucketMs, int buckets) {
        if (bucketMs < 1 || buckets < 1) {
            throw new IllegalArgumentException("a window needs buckets of at least 1 ms: " + buckets + " x " + bucketMs);
        }
        this.bucketMs = bucketMs;
        this.slot = new long[buckets];
        this.reads = new long[buckets];
        this.writes = new long[buckets];
        this.bytes = new long[buckets];
        Arrays.fill(slot, Long.MIN_VALUE);
    }

    long spanMs() {
        return bucketMs * slot.length;
    }

    void add(long now, long readCount, long writeCount, long byteCount) {
        long bucket = Math.floorDiv(now, bucketMs);
        int i = (int) Math.floorMod(bucket, (long) slot.length);
        if (slot[i] != bucket) {
            slot[i] = bucket;
            reads[i] = 0;
            writes[i] = 0;
            bytes[i] = 0;
        }
        reads[i] += readCount;
        writes[i] += writeCount;
        bytes[i] += byteCount;
    }

    /**
     * Per second over the window's buckets up to now: the current bucket is partly filled, so the span is
     * from the start of the oldest bucket to now, or from {@code since} (when counting began) if that is
     * later; never under one bucket, so that a burst just after the start does not read as a huge rate.
     */
    ShardLoad.Rates rates(long now, long since) {
        long newest = Math.floorDiv(now, bucketMs);
        long oldest = newest - slot.length + 1;
        long r = 0;
        long w = 0;
        long b = 0;
        for (int i = 0; i < slot.length; i++) {
            if (slot[i] >= oldest && slot[i] <= newest) {
                r += reads[i];
                w += writes[i];
                b += bytes[i];
            }
        }
        long from = Math.max(oldest * bucketMs, since);
        double seconds = Math.max(bucketMs, now - from) / 1000.0;
        return new ShardLoad.Rates(r / seconds, w / seconds, b / seconds);
    }
}
