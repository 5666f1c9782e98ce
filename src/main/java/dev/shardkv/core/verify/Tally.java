package dev.shardkv.core.verify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/** The counts of one verification, added to by every segment's lane at once. */
final class Tally {
    private final int examples;
    private final LongConsumer progress;
    private final AtomicLong shared; // keys compared by every tally of the verification, for progress
    private final AtomicLong compared = new AtomicLong();
    private final AtomicLong scanned = new AtomicLong();
    private final AtomicLong itemsRead = new AtomicLong();
    private final AtomicLong repaired = new AtomicLong();
    private final Map<Verdict, AtomicLong> counts = new EnumMap<>(Verdict.class);
    private final Map<Verdict, List<String>> keys = new EnumMap<>(Verdict.class);

    Tally(int examples, LongConsumer progress) {
        this(examples, progress, new AtomicLong());
    }

    /** One segment's tally: its own counts, the verification's progress in {@code shared}. */
    Tally(int examples, LongConsumer progress, AtomicLong shared) {
        this.examples = examples;
        this.progress = progress;
        this.shared = shared;
        for (Verdict verdict : Verdict.values()) {
            counts.put(verdict, new AtomicLong());
            keys.put(verdict, Collections.synchronizedList(new ArrayList<>()));
        }
    }

    void compared(long n) {
        compared.addAndGet(n);
        progress.accept(shared.addAndGet(n));
    }

    void scanned(long n) {
        scanned.addAndGet(n);
    }

    void itemsRead(long n) {
        itemsRead.addAndGet(n);
    }

    void repaired() {
        repaired.incrementAndGet();
    }

    void found(Verdict verdict, String key) {
        counts.get(verdict).incrementAndGet();
        List<String> some = keys.get(verdict);
        synchronized (some) {
            if (verdict != Verdict.SAME && some.size() < examples) {
                some.add(key);
            }
        }
    }

    VerifyReport report(String shard, String replica, long at, long elapsedMs) {
        return new VerifyReport(shard, replica, compared.get(), count(Verdict.MISSING), count(Verdict.DIFFERENT),
                count(Verdict.EXTRA), repaired.get(), count(Verdict.IN_FLIGHT), itemsRead.get(), scanned.get(), at,
                new VerifyReport.Examples(some(Verdict.MISSING), some(Verdict.DIFFERENT), some(Verdict.EXTRA),
                        some(Verdict.IN_FLIGHT)),
                elapsedMs);
    }

    private long count(Verdict verdict) {
        return counts.get(verdict).get();
    }

    private List<String> some(Verdict verdict) {
        List<String> some = keys.get(verdict);
        synchronized (some) {
            return some.stream().sorted().toList();
        }
    }
}
