package dev.shardkv.core.reshard;

import static dev.shardkv.core.reshard.Fixtures.assertCovers;
import static dev.shardkv.core.reshard.Fixtures.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.topology.RoutingKeys;
import dev.shardkv.core.topology.RoutingMode;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.Topology;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties over many random reshards (seeded, so a failure names a seed that replays it): a split
 * undone by a merge gives back what was there, and no id ever loses track of a key it held.
 */
class ReshardPropertyTest {
    private static final int SEEDS = 300;
    private static final String RANGE_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz-.~";
    private static final String HEX = "0123456789abcdefABCDEF";

    static Stream<Arguments> topologies() {
        return Stream.of(Arguments.of(Fixtures.RANGE), Arguments.of(Fixtures.HASH), Arguments.of(Fixtures.WHOLE));
    }

    @ParameterizedTest
    @MethodSource("topologies")
    void aSplitUndoneByAMergeGivesBackTheOriginalShards(Topology topology) {
        ReshardPlanner planner = new ReshardPlanner(topology);
        for (int seed = 0; seed < SEEDS; seed++) {
            Random random = new Random(seed);
            ShardMap before = map(topology);
            ShardEntry source = before.shards().get(random.nextInt(before.shards().size()));
            List<String> ids = random.nextBoolean() ? null : List.of("left" + seed, "right" + seed);
            Reshard split = planner.split(before, new SplitRequest(source.id(), at(random, before.routing(), source), ids));
            List<String> halves = Fixtures.ids(split.targets());
            if (random.nextBoolean()) {
                halves = List.of(halves.get(1), halves.get(0));
            }
            Reshard merge = planner.merge(split.next(), new MergeRequest(halves, null));

            String why = "seed " + seed + ", " + split.targets();
            assertThat(ranges(merge.next())).as(why).isEqualTo(ranges(before));
            assertThat(merge.targets().getFirst().replicaCount()).as(why).isEqualTo(source.replicaCount());
            if (ids == null) {
                assertThat(merge.next().shards()).as("default ids undo each other: " + why).isEqualTo(before.shards());
            }
            assertThat(merge.next().epoch()).isEqualTo(3);
            assertThat(Fixtures.ids(merge.next().owners(source.id()))).as(why)
                    .containsExactly(merge.targets().getFirst().id());
        }
    }

    @ParameterizedTest
    @MethodSource("topologies")
    void noIdEverLosesTrackOfAKeyItHeld(Topology topology) {
        ReshardPlanner planner = new ReshardPlanner(topology);
        for (int seed = 0; seed < SEEDS / 10; seed++) {
            Random random = new Random(seed);
            List<String> keys = Stream.generate(() -> word(random, RANGE_CHARS + "ABC", 1 + random.nextInt(4)))
                    .limit(300).toList();
            Map<String, Set<String>> held = new HashMap<>();
            Set<String> retired = new HashSet<>();
            ShardMap map = map(topology);
            record(map, keys, held);
            for (int step = 0; step < 40; step++) {
                Reshard plan = step(planner, map, random, retired, seed + "-" + step);
                String why = "seed " + seed + " step " + step + ": " + plan.kind() + " " + Fixtures.ids(plan.sources())
                        + " -> " + plan.targets();
                assertThat(plan.next().epoch()).as(why).isEqualTo(map.epoch() + 1);
                assertCovers(plan.next());
                map = plan.next();
                plan.sources().forEach(s -> retired.add(s.id()));
                plan.targets().forEach(t -> retired.remove(t.id()));
                record(map, keys, held);
                List<String> lost = new ArrayList<>();
                for (Map.Entry<String, Set<String>> entry : held.entrySet()) {
                    List<ShardEntry> owners = map.owners(entry.getKey());
                    for (String key : entry.getValue()) {
                        if (!owners.contains(map.route(key))) {
                            lost.add(entry.getKey() + " held " + key);
                        }
                    }
                }
                assertThat(lost).as(why).isEmpty();
            }
        }
    }

    /** A random split or merge, with default, fresh or reused (retired) ids. */
    private static Reshard step(ReshardPlanner planner, ShardMap map, Random random, Set<String> retired, String tag) {
        List<ShardEntry> shards = map.shards();
        String reused = retired.isEmpty() || random.nextInt(4) > 0 ? null
                : retired.stream().sorted().toList().get(random.nextInt(retired.size()));
        if (shards.size() > 1 && (shards.size() > 12 || random.nextBoolean())) {
            int i = random.nextInt(shards.size() - 1);
            List<String> pair = random.nextBoolean() ? List.of(shards.get(i).id(), shards.get(i + 1).id())
                    : List.of(shards.get(i + 1).id(), shards.get(i).id());
            String id = reused != null ? reused : random.nextBoolean() ? null : "m" + tag;
            return retryOnTakenDefault(() -> planner.merge(map, new MergeRequest(pair, id)),
                    () -> planner.merge(map, new MergeRequest(pair, "m" + tag)));
        }
        List<ShardEntry> order = new ArrayList<>(shards);
        java.util.Collections.shuffle(order, random);
        ShardEntry source = null;
        String at = null;
        for (ShardEntry candidate : order) {
            at = at(random, map.routing(), candidate);
            if (at != null || map.routing() == RoutingMode.HASH) {
                source = candidate; // under hash routing a null at means the middle
                break;
            }
        }
        if (source == null) { // every shard too narrow for a short random key: merge instead
            List<String> pair = List.of(shards.get(0).id(), shards.get(1).id());
            return planner.merge(map, new MergeRequest(pair, "m" + tag));
        }
        ShardEntry chosen = source;
        String cut = at;
        List<String> ids = reused != null ? List.of(reused, "r" + tag)
                : random.nextBoolean() ? null : List.of("l" + tag, "r" + tag);
        return retryOnTakenDefault(() -> planner.split(map, new SplitRequest(chosen.id(), cut, ids)),
                () -> planner.split(map, new SplitRequest(chosen.id(), cut, List.of("l" + tag, "r" + tag))));
    }

    /**
     * After a random history a default id may be taken, or too long to derive: then name fresh ones,
     * as an admin would.
     */
    private static Reshard retryOnTakenDefault(java.util.function.Supplier<Reshard> first,
            java.util.function.Supplier<Reshard> fresh) {
        try {
            return first.get();
        } catch (ShardKvException e) {
            assertThat(e.type() == ProblemType.SHARD_EXISTS || e.detail().startsWith("No default id"))
                    .as(e.detail()).isTrue();
            return fresh.get();
        }
    }

    private static void record(ShardMap map, List<String> keys, Map<String, Set<String>> held) {
        keys.forEach(key -> held.computeIfAbsent(map.route(key).id(), id -> new HashSet<>()).add(key));
    }

    /** A random split point strictly inside the shard (null for the middle, under hash routing). */
    private static String at(Random random, RoutingMode routing, ShardEntry shard) {
        for (int tries = 0; tries < 200; tries++) {
            String at = routing == RoutingMode.HASH
                    ? random.nextInt(4) == 0 ? null : word(random, HEX, 1 + random.nextInt(16))
                    : word(random, RANGE_CHARS, 1 + random.nextInt(3));
            if (at == null || inside(routing, shard, at)) {
                return at;
            }
        }
        return null;
    }

    /** Independently of the planner: strictly after the start, before the end. */
    private static boolean inside(RoutingMode routing, ShardEntry shard, String at) {
        if (routing == RoutingMode.RANGE) {
            return (shard.start() == null || RoutingKeys.compare(at, shard.start()) > 0)
                    && (shard.end() == null || RoutingKeys.compare(at, shard.end()) < 0);
        }
        BigInteger value = sixteen(at);
        return (shard.start() == null ? value.signum() > 0 : value.compareTo(sixteen(shard.start())) > 0)
                && (shard.end() == null || value.compareTo(sixteen(shard.end())) < 0);
    }

    private static BigInteger sixteen(String hex) {
        StringBuilder padded = new StringBuilder(hex);
        while (padded.length() < 16) {
            padded.append('0');
        }
        return new BigInteger(padded.toString(), 16);
    }

    private static String word(Random random, String chars, int length) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < length; i++) {
            word.append(chars.charAt(random.nextInt(chars.length())));
        }
        return word.toString();
    }

    private static List<List<String>> ranges(ShardMap map) {
        List<List<String>> ranges = new ArrayList<>();
        map.shards().forEach(s -> ranges.add(java.util.Arrays.asList(s.start(), s.end())));
        return ranges;
    }
}
