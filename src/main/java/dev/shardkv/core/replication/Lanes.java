package dev.shardkv.core.replication;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One replica's progress per lane. A lane is a stream shard, or one of the concurrent batches a parallelization
 * factor splits it into: a key's records always go through the same lane, in commit order, but lanes move at their
 * own speed. A lane's mark therefore proves only its own records applied; what the replica has applied of every
 * record is the <em>frontier</em>, the slowest lane's mark. Lag, bounded and session reads use the frontier, so a
 * fast lane never covers a write still waiting in a slow one. Not thread-safe: the replicator guards it.
 */
final class Lanes {
    /** The lane of a replicator that is not told lanes (one stream shard, read in order: the single watermark). */
    static final String SINGLE = "";

    private final Map<String, Watermark> marks = new HashMap<>();
    private final Set<String> expected = new java.util.HashSet<>();
    private final Set<String> closed = new java.util.HashSet<>();
    private boolean fed; // a record has reached the replica through this replicator (or the one it replaced)

    /** The lanes that feed this replica: until each has a mark, there is no frontier (an unheard lane may hold anything). */
    void expect(Set<String> lanes) {
        expected.clear();
        expected.addAll(lanes);
    }

    /** New lanes (a stream shard's children): expected too from now on. */
    void open(java.util.Collection<String> lanes) {
        expected.addAll(lanes);
    }

    /**
     * A lane that has ended (a parent stream shard read to its end, every record of it applied): its mark no longer
     * holds the frontier back, and it never comes back.
     */
    void close(String lane) {
        expected.remove(lane);
        marks.remove(lane);
        closed.add(lane);
    }

    boolean isEmpty() {
        return !fed;
    }

    /** Moves a lane's mark forward (never back: an older mark is ignored; a closed lane's is). */
    void advance(String lane, Watermark mark) {
        if (closed.contains(lane)) {
            return;
        }
        fed = true;
        marks.merge(lane, mark, (old, next) -> next.ts() > old.ts() || next.ts() == old.ts()
                && next.appliedAt() > old.appliedAt() ? next : old);
    }

    Watermark mark(String lane) {
        return marks.get(lane);
    }

    /**
     * The slowest lane's mark: everything committed before its {@code ts} is applied in every lane. Its
     * {@code appliedAt} is the oldest of the lanes' (a lane nobody has heard from in a while makes the lag unknown).
     * Null while an expected lane has no mark.
     */
    Watermark frontier() {
        if (marks.isEmpty() || !marks.keySet().containsAll(expected)) {
            return null;
        }
        Watermark slowest = null;
        long heard = Long.MAX_VALUE;
        String sequenceNumber = null; // a lane claimed caught up before its first record has none: any lane's will do
        for (Watermark w : marks.values()) {
            if (slowest == null || w.ts() < slowest.ts()) {
                slowest = w;
            }
            heard = Math.min(heard, w.appliedAt());
            if (sequenceNumber == null) {
                sequenceNumber = w.sequenceNumber();
            }
        }
        return new Watermark(slowest.ts(), slowest.sequenceNumber() != null ? slowest.sequenceNumber() : sequenceNumber,
                heard);
    }

    /** Every lane's mark, by lane. */
    Map<String, Watermark> all() {
        return new TreeMap<>(marks);
    }

    /**
     * Takes over another's marks (the replicator this one replaces): those of the lanes this one expects, or all when
     * it expects none. A lane the other had that this one is not told of (a split's child, when this one starts
     * unsplit) would otherwise hold its frontier at a mark nothing moves any more.
     */
    void copyFrom(Lanes other) {
        other.marks.forEach((lane, mark) -> {
            if (expected.isEmpty() || expected.contains(lane)) {
                marks.put(lane, mark);
            }
        });
        fed |= other.fed;
    }

    List<String> lanes() {
        return List.copyOf(marks.keySet());
    }
}
