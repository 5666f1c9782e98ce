package dev.shardkv.core.replication;

import org.HdrHistogram.Histogram;

/**
 * Replication delay percentiles over a sliding window: a ring of HdrHistogram slots, each covering
 * {@code slotMs}; a slot is reset when time comes round to it again. Not thread-safe by itself.
 */
final class DelayWindow {
    private static final long HIGHEST_TRACKABLE_MS = 3_600_000L;
    private final long slotMs;
    private final Histogram[] slots;
    private final long[] slotEpoch;

    DelayWindow(long windowMs, int slotCount) {
        this.slotMs = Math.max(1, windowMs / slotCount);
        this.slots = new Histogram[slotCount];
        this.slotEpoch = new long[slotCount];
        for (int i = 0; i < slotCount; i++) {
            slots[i] = new Histogram(HIGHEST_TRACKABLE_MS, 3);
            slotEpoch[i] = -1;
        }
    }

    /** One record's delay: applied on the replica at {@code now}, {@code delayMs} after its commit on the leader. */
    void record(long delayMs, long now) {
        Histogram slot = slotFor(now);
        slot.recordValue(Math.min(Math.max(0, delayMs), HIGHEST_TRACKABLE_MS));
    }

    /** All delay samples recorded within the window ending at {@code now}. */
    Histogram snapshot(long now) {
        Histogram sum = new Histogram(HIGHEST_TRACKABLE_MS, 3);
        long current = now / slotMs;
        for (int i = 0; i < slots.length; i++) {
            if (slotEpoch[i] > current - slots.length && slotEpoch[i] <= current) {
                sum.add(slots[i]);
            }
        }
        return sum;
    }

    private Histogram slotFor(long now) {
        long epoch = now / slotMs;
        int index = (int) (epoch % slots.length);
        if (slotEpoch[index] != epoch) {
            slots[index].reset();
            slotEpoch[index] = epoch;
        }
        return slots[index];
    }
}
