package dev.shardkv.core.reshard;

import static dev.shardkv.core.reshard.Refusals.invalid;
import static dev.shardkv.core.reshard.Refusals.quote;

import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.Topology;
import java.util.List;
import java.util.Optional;

/**
 * The ids of the shards a reshard creates: as requested, or derived from the ids it retires. Each
 * must pass the shard id rule and be free. No live shard may have it, not even one being retired:
 * a shard's tables are named after its id, and the old tables stay until their data is copied. An
 * id only retired shards had is free again (the lineage keeps where its old range went).
 */
final class ShardIds {
    private static final String RULE = "the shard id rule (" + Topology.SHARD_ID_RULE + ")";

    private final ShardMap map;

    ShardIds(ShardMap map) {
        this.map = map;
    }

    /** The two halves' ids, left then right. */
    List<String> split(ShardEntry source, SplitPoint at, List<String> requested) {
        if (requested == null) {
            List<String> ids = splitDefaults(source.id(), at.written());
            ids.forEach(id -> requireFree("The default id", id, List.of(source), "give two in \"ids\""));
            return ids;
        }
        if (requested.size() != 2) {
            throw invalid("\"ids\" must list exactly 2 shard ids for a split, left half then right: %d given."
                    .formatted(requested.size()), "ids", requested);
        }
        requested.forEach(ShardIds::requireRule);
        if (requested.get(0).equals(requested.get(1))) {
            throw invalid("The halves need different ids: \"ids\" gives %s twice.".formatted(quote(requested.get(0))),
                    "ids", requested);
        }
        requested.forEach(id -> requireFree("Shard id", id, List.of(source), "pick another"));
        return requested;
    }

    /** The merged shard's id; {@code first} is the one whose range comes first. */
    String merge(ShardEntry first, ShardEntry second, String requested) {
        List<ShardEntry> sources = List.of(first, second);
        if (requested == null) {
            String id = mergeDefault(first.id(), second.id());
            requireFree("The default id", id, sources, "give one in \"id\"");
            return id;
        }
        requireRule(requested);
        requireFree("Shard id", requested, sources, "pick another");
        return requested;
    }

    /**
     * {@code X-Y} split at one character {@code c}: {@code X-(c-1)} and {@code c-Y} (the character before
     * {@code c} being a-z or 0-9); else {@code <id>-1} and {@code <id>-2}.
     */
    private static List<String> splitDefaults(String source, String at) {
        Optional<String[]> parts = halves(source);
        if (parts.isPresent() && at.codePointCount(0, at.length()) == 1 && isIdChar(at.codePointAt(0) - 1)) {
            List<String> named = List.of(parts.get()[0] + "-" + Character.toString(at.codePointAt(0) - 1),
                    at + "-" + parts.get()[1]);
            if (named.stream().allMatch(Topology::isShardId)) {
                return named;
            }
        }
        List<String> numbered = List.of(source + "-1", source + "-2");
        if (!numbered.stream().allMatch(Topology::isShardId)) {
            throw invalid("No default ids for the halves of %s: %s and %s break %s; give two in \"ids\"."
                    .formatted(quote(source), quote(numbered.get(0)), quote(numbered.get(1)), RULE), "shard", source);
        }
        return numbered;
    }

    /**
     * {@code P-1} merged with {@code P-2}: {@code P}, undoing a numbered split; {@code X-Y} with
     * {@code Z-W}: {@code X-W}, undoing a named split, unless that is one of the two; else
     * {@code <first>-<second>}.
     */
    private static String mergeDefault(String first, String second) {
        String stem = first.substring(0, Math.max(0, first.length() - 2));
        if (first.equals(stem + "-1") && second.equals(stem + "-2") && Topology.isShardId(stem)) {
            return stem;
        }
        Optional<String[]> left = halves(first);
        Optional<String[]> right = halves(second);
        if (left.isPresent() && right.isPresent()) {
            String outer = left.get()[0] + "-" + right.get()[1];
            if (Topology.isShardId(outer) && !outer.equals(first) && !outer.equals(second)) {
                return outer;
            }
        }
        String joined = first + "-" + second;
        if (!Topology.isShardId(joined)) {
            throw invalid("No default id for the merge of %s and %s: %s breaks %s; give one in \"id\"."
                    .formatted(quote(first), quote(second), quote(joined), RULE), "shards", List.of(first, second));
        }
        return joined;
    }

    /** {@code X-Y} as {@code [X, Y]}: exactly one '-', with something on both sides. */
    private static Optional<String[]> halves(String id) {
        int dash = id.indexOf('-');
        boolean one = dash > 0 && dash < id.length() - 1 && id.indexOf('-', dash + 1) < 0;
        return one ? Optional.of(new String[] {id.substring(0, dash), id.substring(dash + 1)}) : Optional.empty();
    }

    private static boolean isIdChar(int c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }

    private static void requireRule(String id) {
        if (!Topology.isShardId(id)) {
            throw invalid("Shard id %s breaks %s.".formatted(quote(id), RULE), "id", id);
        }
    }

    /** {@code what}: "Shard id" for a requested id, "The default id" for a derived one. */
    private void requireFree(String what, String id, List<ShardEntry> sources, String advice) {
        if (sources.stream().anyMatch(s -> s.id().equals(id))) {
            throw Refusals.taken(("%s %s is the id of a shard this reshard retires; a new shard needs a new id,"
                    + " since its tables are named after it and the old ones stay until the copy is done; %s.")
                    .formatted(what, quote(id), advice), id);
        }
        if (map.shard(id).isPresent()) {
            throw Refusals.taken("%s %s is already in use by a live shard (epoch %d); %s."
                    .formatted(what, quote(id), map.epoch(), advice), id);
        }
    }
}
