package dev.shardkv.core.reshard;

import static dev.shardkv.core.reshard.Refusals.invalid;
import static dev.shardkv.core.reshard.Refusals.quote;
import static dev.shardkv.core.reshard.Refusals.range;

import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.topology.RoutingKeys;
import dev.shardkv.core.topology.RoutingMode;
import dev.shardkv.core.topology.ShardEntry;
import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a split cuts a shard: {@code bound}, the first routing key of the right half as the new map
 * holds it, and {@code written}, the same key as the request wrote it (lower-cased), which default
 * ids are named after. The cut must fall strictly inside the shard, so that neither half is empty.
 */
public record SplitPoint(String bound, String written) {
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{1,16}");

    /**
     * Whether a split of the shard at {@code at} would be accepted: what {@code POST /v1/admin/splits} takes as
     * {@code at}, by the same rules ({@link #of}), without the refusal.
     */
    public static boolean allows(RoutingMode routing, ShardEntry shard, String at) {
        if (at == null) {
            return false;
        }
        try {
            of(routing, shard, at);
            return true;
        } catch (ShardKvException refused) {
            return false;
        }
    }

    public static SplitPoint of(RoutingMode routing, ShardEntry shard, String at) {
        return routing == RoutingMode.HASH ? hashed(shard, at) : ranged(shard, at);
    }

    private static SplitPoint ranged(ShardEntry shard, String at) {
        if (at == null) {
            throw invalid(("A split of %s under range routing needs \"at\", the first key of the right half:"
                    + " range routing has no middle to pick.").formatted(quote(shard.id())), "shard", shard.id());
        }
        if (at.isEmpty()) {
            throw invalid("\"at\" must be a non-empty routing key: \"\".", "at", at);
        }
        if (!at.equals(at.toLowerCase(Locale.ROOT))) {
            throw invalid("\"at\" must be in lower case, since range routing compares lower-cased keys: %s."
                    .formatted(quote(at)), "at", at);
        }
        int fromStart = shard.start() == null ? 1 : RoutingKeys.compare(at, shard.start());
        int fromEnd = shard.end() == null ? -1 : RoutingKeys.compare(at, shard.end());
        requireInside(shard, at, fromStart, fromEnd);
        return new SplitPoint(at, at);
    }

    private static SplitPoint hashed(ShardEntry shard, String at) {
        BigInteger low = HashSpace.start(shard.start());
        BigInteger high = HashSpace.end(shard.end());
        if (at == null) {
            if (high.subtract(low).compareTo(BigInteger.TWO) < 0) {
                throw invalid("Shard %s covers %s, a single hash value: too narrow to split."
                        .formatted(quote(shard.id()), range(shard)), "shard", shard.id());
            }
            String middle = HashSpace.format(low.add(high.subtract(low).shiftRight(1)));
            return new SplitPoint(middle, middle);
        }
        if (!HEX.matcher(at).matches()) {
            throw invalid("\"at\" must be 1-16 hex digits, since hash routing compares 16-digit hashes: %s."
                    .formatted(quote(at)), "at", at);
        }
        BigInteger value = HashSpace.value(at);
        requireInside(shard, at, value.compareTo(low), value.compareTo(high));
        return new SplitPoint(HashSpace.pad(at), at.toLowerCase(Locale.ROOT));
    }

    /** {@code fromStart}, {@code fromEnd}: how {@code at} compares with the shard's start and end. */
    private static void requireInside(ShardEntry shard, String at, int fromStart, int fromEnd) {
        if (fromStart == 0) {
            throw invalid(where(at, "is the start of", shard) + ": a split there leaves the left half empty.",
                    "at", at);
        }
        if (fromEnd == 0) {
            throw invalid(where(at, "is the end of", shard) + ", which the range stops before:"
                    + " a split there leaves the right half empty.", "at", at);
        }
        if (fromStart < 0 || fromEnd > 0) {
            throw invalid(where(at, "is outside", shard) + ": a split point must lie strictly inside it.", "at", at);
        }
    }

    private static String where(String at, String relation, ShardEntry shard) {
        return "\"at\" " + quote(at) + " " + relation + " shard " + quote(shard.id()) + "'s range " + range(shard);
    }
}
