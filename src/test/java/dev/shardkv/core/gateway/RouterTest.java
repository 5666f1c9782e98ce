package dev.shardkv.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.protocol.ShardStatus;
import dev.shardkv.core.testing.FakeControl;
import dev.shardkv.core.testing.Maps;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.ShardMapSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The router: keys to shards by the cached map, and the bounded retry after a wrong-shard answer. */
class RouterTest {
    final FakeControl control = new FakeControl(Maps.epoch1());
    final Router router = new Router(new ShardMapSource(control, Maps.epoch1()));
    /** Each try: the shard "hotel" was sent to, by which epoch. */
    final List<String> tries = new ArrayList<>();

    static ShardResponse ok(String shard, ShardMap map) {
        return ShardResponse.of(ShardStatus.OK, shard, shard + "/leader", null, map.epoch(), null);
    }

    static ShardResponse wrongShard(String shard, long epoch) {
        return ShardResponse.of(ShardStatus.WRONG_SHARD, shard, shard + "/leader", null, epoch, "wrong shard");
    }

    @Test
    void routesByTheCachedMap() {
        assertThat(router.route("hotel").id()).isEqualTo("a-l");
        assertThat(router.route("Mike").id()).isEqualTo("m-z");
        control.store(Maps.epoch2());
        assertThat(router.route("hotel").id()).as("nobody said the map changed").isEqualTo("a-l");
    }

    @Test
    void aWrongShardAnswerAcrossAnEpochChangeIsRetriedOnceByTheNewMapOnTheNewShard() {
        Router.Routed routed = router.send(map -> {
            String shard = map.route("hotel").id();
            tries.add(shard + "@" + map.epoch());
            if (map.epoch() == 1) {
                control.store(Maps.epoch2()); // the reshard lands between the first try and the retry
                return wrongShard(shard, 2);
            }
            return ok(shard, map);
        });
        assertThat(tries).containsExactly("a-l@1", "g-l@2");
        assertThat(routed.response().status()).isEqualTo(ShardStatus.OK);
        assertThat(routed.map().epoch()).isEqualTo(2);
        assertThat(routed.mapKeptChanging()).isFalse();
        assertThat(router.map().epoch()).as("the cache moved on").isEqualTo(2);
        assertThat(router.route("hotel").id()).isEqualTo("g-l");
    }

    @Test
    void aWrongShardAnswerWithoutANewerEpochStillReReadsTheMap() {
        control.store(Maps.epoch2());
        router.send(map -> {
            tries.add(map.route("hotel").id() + "@" + map.epoch());
            return map.epoch() == 1 ? wrongShard("a-l", 1) : ok("g-l", map); // a writer that has not heard yet
        });
        assertThat(tries).containsExactly("a-l@1", "g-l@2");
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // fails, not hangs, if the retry is unbounded
    void aShardThatKeepsAnsweringWrongShardIsTriedABoundedNumberOfTimes() {
        Router.Routed routed = router.send(map -> {
            tries.add(map.route("hotel").id() + "@" + map.epoch());
            if (tries.size() == 1) {
                control.store(Maps.epoch2());
            }
            return wrongShard("x", map.epoch() + 1);
        });
        assertThat(tries).hasSize(1 + Router.WRONG_SHARD_RETRIES);
        assertThat(tries.get(1)).isEqualTo("g-l@2");
        assertThat(routed.mapKeptChanging()).isTrue();
        assertThat(routed.response().status()).isEqualTo(ShardStatus.WRONG_SHARD);
    }

    @Test
    void anyOtherAnswerIsFinalAndTheMapIsNotReRead() {
        int loads = control.loads();
        for (ShardStatus status : List.of(ShardStatus.OK, ShardStatus.NOT_FOUND, ShardStatus.INVALID)) {
            tries.clear();
            Router.Routed routed = router.send(map -> {
                tries.add("a-l@" + map.epoch());
                return ShardResponse.of(status, "a-l", "a-l/leader", null, 1, null);
            });
            assertThat(tries).hasSize(1);
            assertThat(routed.response().status()).isEqualTo(status);
        }
        assertThat(control.loads()).isEqualTo(loads);
    }

    @Test
    void aTokenMayNameOnlyShardsOfTheMap() {
        router.requireKnownShards(ConsistencyToken.of("a-l", 1).merge(ConsistencyToken.of("m-z", 2)));
        assertThatThrownBy(() -> router.requireKnownShards(ConsistencyToken.of("g-l", 1)))
                .isInstanceOfSatisfying(ShardKvException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.INVALID_CONSISTENCY);
                    assertThat(e.fields()).containsEntry("shard", "g-l").containsEntry("epoch", 1L);
                });
        control.store(Maps.epoch2());
        router.send(map -> map.epoch() == 1 ? wrongShard("a-l", 2) : ok("g-l", map));
        router.requireKnownShards(ConsistencyToken.of("g-l", 1));
    }

    static ShardResponse frozen(String shard, long epoch) {
        return ShardResponse.of(ShardStatus.FROZEN, shard, shard + "/leader", null, epoch, "frozen");
    }

    @Test
    @Timeout(5)
    void aFrozenShardIsWaitedOutUntilTheMapMovesThenTheNewOwnerIsAsked() {
        Router.Routed routed = router.send(map -> {
            String shard = map.route("hotel").id();
            tries.add(shard + "@" + map.epoch());
            if (map.epoch() == 1 && tries.size() == 3) {
                control.store(Maps.epoch2()); // the cutover publishes while the gateway waits
            }
            return map.epoch() == 1 ? frozen(shard, 1) : ok(shard, map);
        });
        assertThat(tries).containsExactly("a-l@1", "a-l@1", "a-l@1", "g-l@2");
        assertThat(routed.response().status()).isEqualTo(ShardStatus.OK);
        assertThat(routed.map().epoch()).isEqualTo(2);
    }

    @Test
    @Timeout(5)
    void aShardFrozenLongerThanTheWaitAnswersFrozen() {
        Router brief = new Router(new ShardMapSource(control, Maps.epoch1()), java.time.Duration.ofMillis(150));
        long started = System.nanoTime();
        Router.Routed routed = brief.send(map -> {
            tries.add(map.route("hotel").id() + "@" + map.epoch());
            return frozen("a-l", 1);
        });
        long waitedMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(routed.response().status()).isEqualTo(ShardStatus.FROZEN);
        assertThat(waitedMs).as("bounded: the client gets a 503 to retry, never a stall").isBetween(150L, 2_000L);
        assertThat(tries.size()).as("asked again with backoff, not in a busy loop").isBetween(3, 40);
    }
}
