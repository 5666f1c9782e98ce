package dev.shardkv.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.testing.Maps;
import dev.shardkv.core.topology.RoutingKeys;
import dev.shardkv.core.topology.RoutingMode;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.tx.TxKind;
import dev.shardkv.core.tx.TxOp;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The hot-shard signal: rates over the sliding window (on a clock the test moves), the hot rule, and the split
 * suggestion of a hot shard (a split key that balances, a hot key instead, a hash under hash routing).
 */
class ShardLoadTest {
    static final long T0 = 1_000_000_000L; // on a window boundary: 10 s windows, 1 s buckets
    /** Three range shards, as the default topology: a-l [.., "m"), m-s ["m", "t"), t-z ["t", ..). */
    static final ShardMap THREE = new ShardMap(1, RoutingMode.RANGE, List.of(
            Maps.entry("a-l", null, "m"), Maps.entry("m-s", "m", "t"), Maps.entry("t-z", "t", null)));

    final AtomicLong now = new AtomicLong(T0);
    final ShardLoad load = new ShardLoad(now::get, new SplittableRandom(42));

    /** {@code perSecond} reads a second of keys from {@code keys}, spread over {@code seconds} seconds. */
    void reads(String shard, RoutingMode routing, int perSecond, int seconds, Function<Integer, String> keys) {
        int n = 0;
        for (int s = 0; s < seconds; s++) {
            for (int i = 0; i < perSecond; i++) {
                now.set(T0 + s * 1000L + i * 1000L / perSecond);
                load.read(shard, routing, keys.apply(n++));
            }
        }
    }

    void reads(String shard, int perSecond, int seconds) {
        reads(shard, RoutingMode.RANGE, perSecond, seconds, i -> shard.charAt(0) + "-" + i);
    }

    Map<String, ShardLoad.Report> report(ShardMap map) {
        return load.report(map).stream().collect(Collectors.toMap(ShardLoad.Report::shard, r -> r));
    }

    // ---- rates over the window ------------------------------------------------------------------------------------

    @Test
    void ratesArePerSecondOverTheLastTenSeconds() {
        for (int s = 0; s < 20; s++) { // 20 s: 10 reads and 5 writes of 100 bytes a second
            for (int i = 0; i < 10; i++) {
                now.set(T0 + s * 1000L + i * 100L);
                load.read("a-l", RoutingMode.RANGE, "alpha");
                if (i % 2 == 0) {
                    load.write("a-l", RoutingMode.RANGE, "alpha", 100);
                }
            }
        }
        now.set(T0 + 20_000);
        ShardLoad.Rates rates = load.rates("a-l");
        assertThat(rates.readsPerSecond()).isCloseTo(10, within(0.5));
        assertThat(rates.writesPerSecond()).isCloseTo(5, within(0.3));
        assertThat(rates.bytesPerSecond()).isCloseTo(500, within(30.0));
        assertThat(rates.requestsPerSecond()).isCloseTo(15, within(0.8));
        assertThat(load.of("a-l")).isEqualTo(new ShardLoad.Snapshot(200, 100, 0)); // the totals are since the start
    }

    @Test
    void loadOlderThanTheWindowNoLongerCounts() {
        reads("a-l", 30, 5); // seconds 0-4
        now.set(T0 + 9_500);
        assertThat(load.rates("a-l").readsPerSecond()).as("150 reads over 9.5 s").isCloseTo(150 / 9.5, within(0.01));
        now.set(T0 + 14_999);
        assertThat(load.rates("a-l").readsPerSecond()).as("seconds 5-14: none").isZero();
        assertThat(load.rates("m-s")).as("a shard never asked for").isEqualTo(ShardLoad.Rates.NONE);
    }

    @Test
    void aBurstJustAfterTheStartIsSpreadOverAtLeastASecondAndBytesReadCount() {
        now.set(T0 + 200);
        for (int i = 0; i < 30; i++) {
            load.read("t-z", RoutingMode.RANGE, "tango");
        }
        load.bytes("t-z", 1_000);
        load.bytes("t-z", 0);
        now.set(T0 + 500);
        ShardLoad.Rates rates = load.rates("t-z");
        assertThat(rates.readsPerSecond()).isEqualTo(30);
        assertThat(rates.bytesPerSecond()).isEqualTo(1_000);
        now.set(T0 + 4_000);
        assertThat(load.rates("t-z").readsPerSecond()).as("since the start, 4 s ago").isEqualTo(7.5);
    }

    @Test
    void aClockThatGoesBackCountsNothingTwice() {
        reads("a-l", 10, 3);
        now.set(T0 - 61_000); // into a bucket not used since
        load.read("a-l", RoutingMode.RANGE, "alpha");
        assertThat(load.rates("a-l").readsPerSecond()).as("the future buckets are not summed").isEqualTo(1);
        now.set(T0 + 3_000);
        assertThat(load.rates("a-l").readsPerSecond()).isCloseTo(30 / 3.0, within(0.01));
    }

    // ---- the hot rule ---------------------------------------------------------------------------------------------

    @Test
    void anIdleClusterHasNoHotShard() {
        now.set(T0 + 30_000);
        assertThat(load.report(THREE)).hasSize(3).allSatisfy(r -> {
            assertThat(r.hot()).isFalse();
            assertThat(r.rates()).isEqualTo(ShardLoad.Rates.NONE);
            assertThat(r.splitAt()).isNull();
            assertThat(r.hotKey()).isNull();
        });
    }

    @Test
    void aLightlyUsedClusterHasNoHotShardHoweverSkewed() {
        reads("a-l", 15, 10); // all the load, but under 20 requests a second
        assertThat(report(THREE).values()).noneMatch(ShardLoad.Report::hot);
    }

    @Test
    void oneShardWithThreeTimesTheOthersLoadIsHot() {
        reads("a-l", 60, 10);
        reads("m-s", 20, 10);
        reads("t-z", 20, 10);
        Map<String, ShardLoad.Report> r = report(THREE);
        assertThat(r.get("a-l").hot()).isTrue();
        assertThat(r.get("m-s").hot()).isFalse();
        assertThat(r.get("t-z").hot()).isFalse();
        assertThat(r.get("a-l").rates().readsPerSecond()).isCloseTo(60, within(1.0));
    }

    @Test
    void anEvenLoadHasNoHotShard() {
        reads("a-l", 50, 10);
        reads("m-s", 50, 10);
        reads("t-z", 40, 10);
        assertThat(report(THREE).values()).noneMatch(ShardLoad.Report::hot);
    }

    @Test
    void theRuleComparesWithTheMeanOfTheOtherShards() {
        assertThat(ShardLoad.hot(new double[] {60, 20, 20}, 0)).as("3x each other one").isTrue();
        assertThat(ShardLoad.hot(new double[] {39, 20, 20}, 0)).as("under 2x").isFalse();
        assertThat(ShardLoad.hot(new double[] {40, 20, 20}, 0)).as("exactly 2x").isTrue();
        assertThat(ShardLoad.hot(new double[] {100, 100, 5, 5}, 0)).as("two shards carrying it all: both hot").isTrue();
        assertThat(ShardLoad.hot(new double[] {100, 100, 5, 5}, 2)).isFalse();
        assertThat(ShardLoad.hot(new double[] {19.9, 0, 0}, 0)).as("under 20 requests/s").isFalse();
        assertThat(ShardLoad.hot(new double[] {20, 0, 0}, 0)).isTrue();
        assertThat(ShardLoad.hot(new double[] {500}, 0)).as("a single shard has nothing to be hotter than").isFalse();
        assertThat(ShardLoad.hot(new double[] {0, 0, 0}, 1)).isFalse();
    }

    @Test
    void aShardOutsideTheMapIsNotReportedAndNotCountedInTheMean() {
        reads("g-l", 200, 10); // a retired shard's load, as a map before a split had it
        reads("a-l", 40, 10);
        reads("m-s", 10, 10);
        Map<String, ShardLoad.Report> r = report(THREE);
        assertThat(r).containsOnlyKeys("a-l", "m-s", "t-z");
        assertThat(r.get("a-l").hot()).isTrue();
    }

    // ---- the suggestion -----------------------------------------------------------------------------------------

    @Test
    void aHotShardWithKeysSpreadOverItsRangeIsToldWhereToSplitAndTheSplitBalances() {
        SplittableRandom keys = new SplittableRandom(7);
        List<String> asked = new java.util.ArrayList<>();
        reads("m-s", RoutingMode.RANGE, 200, 10, i -> {
            String key = "" + (char) ('m' + keys.nextInt(7)) + (char) ('a' + keys.nextInt(26)) + "-" + i; // m..s
            asked.add(key);
            return key;
        });
        reads("a-l", 10, 10);
        ShardLoad.Report r = report(THREE).get("m-s");
        assertThat(r.hot()).isTrue();
        assertThat(r.hotKey()).isNull();
        String at = r.splitAt();
        assertThat(at).as("a split key").isNotNull();
        ShardEntry ms = THREE.shard("m-s").orElseThrow();
        assertThat(RoutingKeys.compare(at, "m")).as("after the shard's start, %s", at).isPositive();
        assertThat(RoutingKeys.compare(at, "t")).as("before its end, %s", at).isNegative();
        assertThat(dev.shardkv.core.reshard.SplitPoint.allows(RoutingMode.RANGE, ms, at)).isTrue();
        long left = asked.stream().filter(k -> RoutingKeys.compare(k, at) < 0).count();
        assertThat(left / (double) asked.size()).as("share of the keys left of %s", at).isBetween(0.4, 0.6);
        assertThat(at.charAt(0)).as("near the middle of m..s").isBetween('o', 'q');
        assertThat(report(THREE).get("a-l").splitAt()).as("a cold shard gets no suggestion").isNull();
    }

    @Test
    void oneKeyHammeredIsNamedAndNoSplitIsSuggested() {
        SplittableRandom keys = new SplittableRandom(11);
        reads("t-z", RoutingMode.RANGE, 200, 10,
                i -> keys.nextInt(10) < 6 ? "User42" : (char) ('t' + keys.nextInt(6)) + "-" + i);
        Map<String, ShardLoad.Report> r = report(THREE);
        assertThat(r.get("t-z").hot()).isTrue();
        assertThat(r.get("t-z").hotKey()).as("the key as the client sent it").isEqualTo("User42");
        assertThat(r.get("t-z").splitAt()).as("a split cannot spread one key").isNull();
    }

    @Test
    void underHashRoutingTheSuggestionIsAHashInsideTheShard() {
        ShardMap hashed = new ShardMap(1, RoutingMode.HASH, List.of(
                Maps.entry("h0", null, "8"), Maps.entry("h1", "8", null)));
        List<String> asked = new java.util.ArrayList<>();
        for (int i = 0; asked.size() < 2_000; i++) {
            String key = "user-" + i;
            if (hashed.route(key).id().equals("h1")) {
                asked.add(key);
            }
        }
        reads("h1", RoutingMode.HASH, 200, 10, asked::get);
        ShardLoad.Report r = report(hashed).get("h1");
        assertThat(r.hot()).isTrue();
        assertThat(r.splitAt()).matches("[0-9a-f]{16}").isGreaterThan("8000000000000000");
        long left = asked.stream().filter(k -> RoutingKeys.hash(k).compareTo(r.splitAt()) < 0).count();
        assertThat(left / 2_000.0).as("share of the keys left of %s", r.splitAt()).isBetween(0.4, 0.6);
    }

    @Test
    void theSuggestionComesFromTheLastWholeWindowUntilTheNewOneHasSeenMore() {
        SplittableRandom keys = new SplittableRandom(3);
        reads("t-z", RoutingMode.RANGE, 100, 10, i -> "" + (char) ('t' + keys.nextInt(6)) + i);
        now.set(T0 + 10_000); // a new window: its finder has seen nothing yet
        assertThat(report(THREE).get("t-z").splitAt()).as("from the window before").isNotNull();
        now.set(T0 + 30_000); // two windows on, with nothing asked: no suggestion, and not hot
        assertThat(report(THREE).get("t-z")).satisfies(r -> {
            assertThat(r.hot()).isFalse();
            assertThat(r.splitAt()).isNull();
        });
    }

    // ---- the gateway counts keys and bytes ------------------------------------------------------------------------

    @Test
    void theGatewayCountsTheBytesOfValuesWrittenAndReadAndSamplesEveryKey() {
        GatewayFixture f = new GatewayFixture(); // its clock stands still: rates over one second
        f.gateway.put("alpha", "\"h\u00e9llo\"", Precondition.NONE, ConsistencyToken.EMPTY); // 8 bytes in UTF-8
        f.gateway.get("alpha", ReadOptions.STRONG); // the leader's value: "a-l/leader", 12 bytes
        f.gateway.delete("bravo", Precondition.NONE, ConsistencyToken.EMPTY);
        f.gateway.batchGet(List.of("charlie", "delta"), ReadOptions.STRONG); // 12 + 12
        f.gateway.get("mike", ReadOptions.STRONG); // 12 on m-z
        f.gateway.transact(List.of(new TxOp(TxKind.PUT, "echo", "[1,2]", null),
                new TxOp(TxKind.CHECK, "foxtrot", null, 1L)), ConsistencyToken.EMPTY);
        ShardLoad.Rates al = f.gateway.load().rates("a-l");
        assertThat(al.writesPerSecond()).isEqualTo(3); // put, delete, transaction
        assertThat(al.readsPerSecond()).isEqualTo(2); // get, the batch's a-l part
        assertThat(al.bytesPerSecond()).isEqualTo(8 + 12 + 24 + 5);
        assertThat(f.gateway.load().rates("m-z").bytesPerSecond()).isEqualTo(12);
        assertThat(f.gateway.load().of("a-l")).isEqualTo(new ShardLoad.Snapshot(2, 3, 0));
    }
}
