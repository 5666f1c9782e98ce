package dev.shardkv.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.reshard.SplitPoint;
import dev.shardkv.core.testing.Maps;
import dev.shardkv.core.topology.RoutingKeys;
import dev.shardkv.core.topology.RoutingMode;
import dev.shardkv.core.topology.ShardEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The load-based split finder alone: a reservoir of candidate keys with their left and right counters. */
class SplitFinderTest {
    final SplitFinder finder = new SplitFinder(new SplittableRandom(5));

    void record(String key) {
        finder.record(key, key.toLowerCase(Locale.ROOT));
    }

    @Test
    void uniformKeysGiveASplitKeyThatBalancesTheRequests() {
        SplittableRandom random = new SplittableRandom(1);
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String key = String.format("k%04d", random.nextInt(10_000)); // k0000..k9999, uniform
            asked.add(key);
            record(key);
        }
        String at = finder.splitKey(k -> true).orElseThrow();
        long left = asked.stream().filter(k -> k.compareTo(at) < 0).count();
        assertThat(left / 5_000.0).as("share left of %s", at).isBetween(0.45, 0.55);
        assertThat(at).isBetween("k4000", "k6000");
        assertThat(finder.hotKey()).isEmpty();
        assertThat(finder.candidates()).hasSize(SplitFinder.SAMPLES)
                .allSatisfy(c -> assertThat(c.same()).as("%s: no key repeats much", c.key()).isLessThan(20));
    }

    @Test
    void countersSayWhichSideOfTheCandidateEachRequestFalls() {
        for (String key : new String[] {"m", "b", "z", "m", "a"}) { // "m" first: a candidate from the start
            record(key);
        }
        SplitFinder.Candidate m = finder.candidates().get(0);
        assertThat(m.key()).isEqualTo("m");
        assertThat(m.left()).as("b, a").isEqualTo(2);
        assertThat(m.right()).as("z and m itself: a split at m puts m on the right").isEqualTo(2);
        assertThat(m.same()).isEqualTo(1);
    }

    @Test
    void oneKeyWithMostOfTheRequestsIsAHotKeyAndWinsOverASplit() {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 3_000; i++) {
            record(random.nextInt(100) < 55 ? "user42" : "user" + random.nextInt(1_000, 10_000));
        }
        assertThat(finder.hotKey()).contains("user42");
    }

    @Test
    void aKeyUnderHalfTheRequestsIsNotAHotKey() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 3_000; i++) {
            record(random.nextInt(100) < 35 ? "user42" : "user" + random.nextInt(1_000, 10_000));
        }
        assertThat(finder.hotKey()).isEmpty();
    }

    @Test
    void tooFewRequestsSuggestNothing() {
        for (int i = 0; i < SplitFinder.MIN_COUNTED; i++) { // every candidate has counted fewer than that
            record("k" + i);
        }
        assertThat(finder.recorded()).isEqualTo(SplitFinder.MIN_COUNTED);
        assertThat(finder.splitKey(k -> true)).isEmpty();
        assertThat(finder.hotKey()).isEmpty();
    }

    @Test
    void noSplitIsSuggestedWhenNoCandidateLeavesAQuarterOnEachSide() {
        // Keys only ever get larger: a candidate has seen only the requests after it, all on its right.
        for (int i = 0; i < 2_000; i++) {
            record(String.format("k%05d", i));
        }
        assertThat(finder.splitKey(k -> true)).isEmpty();
    }

    @Test
    void aCandidateTheShardWouldRefuseIsPassedOver() {
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < 2_000; i++) {
            record(String.format("k%04d", random.nextInt(10_000)));
        }
        String best = finder.splitKey(k -> true).orElseThrow();
        String next = finder.splitKey(k -> !k.equals(best)).orElseThrow();
        assertThat(next).isNotEqualTo(best);
        assertThat(finder.splitKey(k -> false)).isEmpty();
    }

    @Test
    void splitPointAllowsOnlyWhatTheAdminApiTakes() {
        ShardEntry ms = Maps.entry("m-s", "m", "t");
        assertThat(SplitPoint.allows(RoutingMode.RANGE, ms, "p")).isTrue();
        assertThat(SplitPoint.allows(RoutingMode.RANGE, ms, "m")).as("the shard's start").isFalse();
        assertThat(SplitPoint.allows(RoutingMode.RANGE, ms, "t")).as("its end").isFalse();
        assertThat(SplitPoint.allows(RoutingMode.RANGE, ms, "a")).as("outside").isFalse();
        assertThat(SplitPoint.allows(RoutingMode.RANGE, ms, "P")).as("upper case").isFalse();
        assertThat(SplitPoint.allows(RoutingMode.RANGE, ms, null)).isFalse();
        ShardEntry h1 = Maps.entry("h1", "8", null);
        assertThat(SplitPoint.allows(RoutingMode.HASH, h1, RoutingKeys.hash("x"))).isEqualTo(
                RoutingKeys.hash("x").compareTo("8000000000000000") > 0);
        assertThat(SplitPoint.allows(RoutingMode.HASH, h1, "c000000000000000")).isTrue();
        assertThat(SplitPoint.allows(RoutingMode.HASH, h1, "8000000000000000")).isFalse();
    }
}
