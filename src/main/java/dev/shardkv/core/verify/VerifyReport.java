package dev.shardkv.core.verify;

import java.util.List;

/**
 * One replica compared with its shard's leader.
 *
 * @param compared  keys compared (on either table; expired tombstones are as good as gone and not counted)
 * @param missing   the leader has a live item or a tombstone the replica lacks, and the replica's watermark is past it
 * @param different the replica has another version: older though its watermark is past the leader's, or one the
 *                  leader never had
 * @param extra     the replica has a key the leader has not
 * @param repaired  differences written over by the leader's item (or removed), each conditioned on the state found
 * @param inFlight  the replica is behind on a key whose commit its watermark does not cover yet: not a difference
 * @param itemsRead full items read to decide and repair (keys and versions scanned are {@code scanned})
 * @param scanned   keys and versions scanned on both tables
 * @param at        when the leader's scan began (epoch ms): the moment the comparison refers to
 * @param examples  a few keys of each kind
 * @param elapsedMs how long the verification took
 */
public record VerifyReport(String shard, String replica, long compared, long missing, long different, long extra,
        long repaired, long inFlight, long itemsRead, long scanned, long at, Examples examples, long elapsedMs) {

    /** Up to a few keys per kind, to look at. */
    public record Examples(List<String> missing, List<String> different, List<String> extra, List<String> inFlight) {
    }

    /**
     * This report and one of other segments of the same replica, as one: counts added, a few examples of each
     * kind kept, the earlier {@code at}, the two times added (the parts ran one after the other).
     */
    public VerifyReport plus(VerifyReport other, int keep) {
        return new VerifyReport(shard, replica, compared + other.compared, missing + other.missing,
                different + other.different, extra + other.extra, repaired + other.repaired, inFlight + other.inFlight,
                itemsRead + other.itemsRead, scanned + other.scanned, Math.min(at, other.at),
                new Examples(first(examples.missing, other.examples.missing, keep),
                        first(examples.different, other.examples.different, keep),
                        first(examples.extra, other.examples.extra, keep),
                        first(examples.inFlight, other.examples.inFlight, keep)),
                elapsedMs + other.elapsedMs);
    }

    /** Nothing compared yet, at {@code at}. */
    public static VerifyReport empty(String shard, String replica, long at) {
        return new VerifyReport(shard, replica, 0, 0, 0, 0, 0, 0, 0, 0, at,
                new Examples(List.of(), List.of(), List.of(), List.of()), 0);
    }

    private static List<String> first(List<String> a, List<String> b, int keep) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).distinct().sorted().limit(keep).toList();
    }

    public long differences() {
        return missing + different + extra;
    }

    /** True when the replica holds what its leader holds, in-flight writes aside. */
    public boolean clean() {
        return differences() == 0;
    }
}
