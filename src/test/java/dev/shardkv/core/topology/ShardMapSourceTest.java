package dev.shardkv.core.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.testing.FakeControl;
import dev.shardkv.core.testing.Maps;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The cached shard map: read once, re-read for a newer epoch or once too old, never moved back. */
class ShardMapSourceTest {

    @Test
    void aMapOlderThanItsMaxAgeIsReadAgainSoReadersFollowAReshardTheyNeverMet() throws InterruptedException {
        FakeControl control = new FakeControl(Maps.epoch2());
        ShardMapSource maps = new ShardMapSource(control, Maps.epoch2(), Duration.ofMillis(50));
        control.store(Maps.split(3));
        assertThat(maps.current().epoch()).as("fresh: the cache answers").isEqualTo(2);
        Thread.sleep(80);
        assertThat(maps.current().epoch()).as("too old: read again").isEqualTo(3);
    }

    @Test
    void loadTakesAStoredMapOfAnEpochAboveOne() {
        FakeControl control = new FakeControl(Maps.split(3));
        ShardMapSource maps = ShardMapSource.load(control, Maps.TOPOLOGY);
        assertThat(maps.current().epoch()).isEqualTo(3);
        assertThat(maps.current().route("hotel").id()).isEqualTo("g-l");
        assertThat(maps.current().shards()).extracting(ShardEntry::id).containsExactly("a-l", "g-l", "m-z");
    }

    @Test
    void loadWithNothingStoredUsesTheTopologysFirstMapWithoutStoringIt() {
        FakeControl control = new FakeControl(null);
        ShardMapSource maps = ShardMapSource.load(control, Maps.TOPOLOGY);
        assertThat(maps.current()).isEqualTo(Maps.epoch1());
        assertThat(control.loadShardMap()).as("load needs only read access").isEmpty();
    }

    @Test
    void seedAndLoadSeedsAnEmptyTableAndKeepsAStoredMap() {
        FakeControl empty = new FakeControl(null);
        assertThat(ShardMapSource.seedAndLoad(empty, Maps.TOPOLOGY).current()).isEqualTo(Maps.epoch1());
        assertThat(empty.loadShardMap()).contains(Maps.epoch1());

        FakeControl resharded = new FakeControl(Maps.split(3));
        assertThat(ShardMapSource.seedAndLoad(resharded, Maps.TOPOLOGY).current().epoch()).isEqualTo(3);
        assertThat(resharded.loadShardMap()).contains(Maps.split(3));
    }

    @Test
    void theCachedMapIsReReadOnlyForANewerEpoch() {
        FakeControl control = new FakeControl(Maps.epoch2());
        ShardMapSource maps = new ShardMapSource(control, Maps.epoch2(), Duration.ofHours(1)); // never too old here
        int loads = control.loads();

        control.store(Maps.split(3)); // a reshard nobody has told this cache about
        assertThat(maps.atLeast(2).epoch()).as("epoch 2 is what it holds: no read").isEqualTo(2);
        assertThat(maps.atLeast(1).epoch()).isEqualTo(2);
        assertThat(maps.current().epoch()).isEqualTo(2);
        assertThat(control.loads()).isEqualTo(loads);

        ShardMap seen = maps.atLeast(3); // a writer answered with epoch 3
        assertThat(seen.epoch()).isEqualTo(3);
        assertThat(control.loads()).isEqualTo(loads + 1);
        assertThat(maps.current()).isSameAs(seen);
        assertThat(maps.atLeast(3)).as("cached now").isSameAs(seen);
        assertThat(control.loads()).isEqualTo(loads + 1);
    }

    @Test
    void aStoredMapOlderThanTheCachedOneNeverReplacesIt() {
        FakeControl control = new FakeControl(Maps.split(4));
        ShardMapSource maps = ShardMapSource.load(control, Maps.TOPOLOGY);
        control.store(Maps.epoch2()); // an outdated read of the control table
        assertThat(maps.refresh().epoch()).isEqualTo(4);
        assertThat(maps.atLeast(5).epoch()).as("asked for more than is stored: the newest it has").isEqualTo(4);
    }
}
