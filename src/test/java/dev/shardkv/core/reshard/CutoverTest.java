package dev.shardkv.core.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.store.Fence;
import dev.shardkv.core.testing.FakeControl;
import dev.shardkv.core.testing.Maps;
import dev.shardkv.core.testing.MemoryLeader;
import dev.shardkv.core.testing.MutableClock;
import dev.shardkv.core.topology.ShardMap;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cutover: freeze, wait for the catch-up, publish over the starting epoch; or open the sources again. */
class CutoverTest {
    final FakeControl control = new FakeControl(Maps.epoch1());
    final MemoryLeader source = new MemoryLeader("t-a-l-leader");
    final ShardMap next = Maps.epoch2();
    final Cutover cutover = new Cutover(control, new MutableClock(1_000_000), Duration.ofMillis(300));

    @Test
    void freezesThenPublishesOnceTheCatchUpHasReachedTheFreeze() {
        AtomicInteger asked = new AtomicInteger();
        Cutover.Result result = cutover.run("op-1", List.of(source), next, 1, versions -> {
            assertThat(Fence.read(source)).as("frozen while waiting").isEqualTo(new Fence(true, "op-1"));
            assertThat(versions).as("the freeze's fence version").containsExactly(
                    source.get(dev.shardkv.core.kv.Keys.FENCE_KEY).orElseThrow().version());
            return asked.incrementAndGet() == 3;
        });
        assertThat(result.published()).isTrue();
        assertThat(control.loadShardMap().orElseThrow().epoch()).isEqualTo(2);
        assertThat(Fence.read(source).frozen()).as("the source stays frozen: it is retired").isTrue();
        assertThat(result.writePauseMs()).isBetween(0L, 250L);
    }

    @Test
    void aCatchUpThatDoesNotArriveInTimeOpensTheSourcesAndLeavesTheMap() {
        Cutover.Result result = cutover.run("op-1", List.of(source), next, 1, versions -> false);
        assertThat(result.published()).isFalse();
        assertThat(result.error()).contains("did not reach the freeze");
        assertThat(result.writePauseMs()).isGreaterThanOrEqualTo(300);
        assertThat(Fence.read(source).frozen()).isFalse();
        assertThat(control.loadShardMap().orElseThrow().epoch()).isEqualTo(1);
    }

    @Test
    void aMapThatMovedMeanwhileIsNotOverwritten() {
        control.store(Maps.epoch2()); // another change got there first
        Cutover.Result result = cutover.run("op-1", List.of(source), Maps.epoch2(), 1, versions -> true);
        assertThat(result.published()).isFalse();
        assertThat(result.error()).contains("no longer at epoch 1");
        assertThat(Fence.read(source).frozen()).isFalse();
    }
}
