package dev.shardkv.core.reshard;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.shardkv.core.verify.ReplicaVerifier;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Where a runtime that restarts picks an operation up, kept apart so that the admin API can leave it
 * out. {@code segments}: how many segments each source leader is scanned in (0: the copy has not
 * started; a cursor only means something for the segment count it was made with). {@code copyCursors}:
 * per source shard, per segment, how far its scan has got (a segment with no cursor starts from the
 * beginning). {@code streamPositions}: per source shard, per stream shard, the sequence number of the
 * last record applied to the targets (catch-up resumes after it). {@code verifyCursors}: per source shard,
 * how far the verify phase has compared it (a stop, such as the end of a resharder invocation, loses no
 * more than a page of it). {@code replicaChecks}: per replica table, how far a verification has compared
 * it, and what it found there (a stop loses no more than the segments in flight).
 */
public record Resume(int segments,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Map<Integer, Cursor>> copyCursors,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Map<String, String>> streamPositions,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Cursor> verifyCursors,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, ReplicaVerifier.Checkpoint> replicaChecks) {

    public static final Resume NONE = new Resume(0, Map.of(), Map.of(), Map.of(), Map.of());

    /** Without replica checks: what a split or merge keeps. */
    public Resume(int segments, Map<String, Map<Integer, Cursor>> copyCursors,
            Map<String, Map<String, String>> streamPositions, Map<String, Cursor> verifyCursors) {
        this(segments, copyCursors, streamPositions, verifyCursors, Map.of());
    }

    /**
     * How far one segment's scan has got: {@code after}, the last key copied (the scan's last evaluated
     * key), or {@code done}. Not a sentinel key: any string, "done" included, can be a key.
     */
    public record Cursor(@JsonInclude(JsonInclude.Include.NON_NULL) String after,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean done) {
        public static final Cursor DONE = new Cursor(null, true);

        public Cursor {
            if (done == (after != null)) {
                throw new IllegalArgumentException("a cursor is either done or after a key: " + after + ", " + done);
            }
        }

        public static Cursor after(String key) {
            return new Cursor(key, false);
        }
    }

    public Resume {
        if (segments < 0) {
            throw new IllegalArgumentException("segments is never negative: " + segments);
        }
        copyCursors = sorted(copyCursors, Resume::sorted);
        streamPositions = sorted(streamPositions, Resume::sorted);
        verifyCursors = sorted(verifyCursors);
        replicaChecks = sorted(replicaChecks);
    }

    /** How far a verification has compared a replica table; empty before it starts on it. */
    public Optional<ReplicaVerifier.Checkpoint> replicaCheck(String table) {
        return Optional.ofNullable(replicaChecks.get(table));
    }

    public Resume withReplicaCheck(String table, ReplicaVerifier.Checkpoint checkpoint) {
        Map<String, ReplicaVerifier.Checkpoint> next = new TreeMap<>(replicaChecks);
        next.put(table, checkpoint);
        return new Resume(segments, copyCursors, streamPositions, verifyCursors, next);
    }

    /** Without the replica's checkpoint: its report is in the operation's result by now. */
    public Resume withoutReplicaCheck(String table) {
        Map<String, ReplicaVerifier.Checkpoint> next = new TreeMap<>(replicaChecks);
        next.remove(table);
        return new Resume(segments, copyCursors, streamPositions, verifyCursors, next);
    }

    /** How far a source has been verified; empty when its verification has not started. */
    public Optional<Cursor> verified(String source) {
        return Optional.ofNullable(verifyCursors.get(source));
    }

    public Resume withVerified(String source, Cursor cursor) {
        Map<String, Cursor> next = new TreeMap<>(verifyCursors);
        next.put(source, cursor);
        return new Resume(segments, copyCursors, streamPositions, next, replicaChecks);
    }

    /** Sets the segment count when the copy starts; it cannot change once a cursor was saved. */
    public Resume withSegments(int count) {
        if (count < 1 || count != segments && !copyCursors.isEmpty()) {
            throw new IllegalStateException("the copy runs in " + segments + " segments; cannot switch to " + count);
        }
        return new Resume(count, copyCursors, streamPositions, verifyCursors, replicaChecks);
    }

    public Optional<Cursor> cursor(String source, int segment) {
        return Optional.ofNullable(copyCursors.getOrDefault(source, Map.of()).get(segment));
    }

    public Resume withCursor(String source, int segment, Cursor cursor) {
        if (segment < 0 || segment >= segments) {
            throw new IllegalArgumentException("segment " + segment + " of " + segments);
        }
        return new Resume(segments, with(copyCursors, source, segment, cursor), streamPositions, verifyCursors,
                replicaChecks);
    }

    /** Whether every segment of every source has been copied to its end. */
    public boolean copied(Collection<String> sources) {
        return segments > 0 && sources.stream().allMatch(source -> {
            Map<Integer, Cursor> cursors = copyCursors.getOrDefault(source, Map.of());
            return cursors.size() == segments && cursors.values().stream().allMatch(Cursor::done);
        });
    }

    /** A source's stream positions: stream shard id to the last sequence number applied. */
    public Map<String, String> positions(String source) {
        return streamPositions.getOrDefault(source, Map.of());
    }

    public Resume withPosition(String source, String streamShard, String sequenceNumber) {
        return new Resume(segments, copyCursors, with(streamPositions, source, streamShard, sequenceNumber),
                verifyCursors, replicaChecks);
    }

    private static <K, V> Map<String, Map<K, V>> with(Map<String, Map<K, V>> outer, String source, K key, V value) {
        Map<String, Map<K, V>> copy = new TreeMap<>(outer);
        Map<K, V> inner = new TreeMap<>(outer.getOrDefault(source, Map.of()));
        inner.put(key, value);
        copy.put(source, inner);
        return copy;
    }

    // Sorted, so that the JSON is the same for the same data; unmodifiable all the way down.
    private static <K, V> Map<K, V> sorted(Map<K, V> map, Function<V, V> inner) {
        Map<K, V> copy = new TreeMap<>();
        if (map != null) {
            map.forEach((k, v) -> copy.put(k, inner.apply(v)));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static <K, V> Map<K, V> sorted(Map<K, V> map) {
        return sorted(map, Function.identity());
    }
}
