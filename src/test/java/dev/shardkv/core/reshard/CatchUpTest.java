package dev.shardkv.core.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.ChangeRecord;
import dev.shardkv.core.store.Fence;
import dev.shardkv.core.testing.MemoryReplica;
import dev.shardkv.core.topology.RoutingMode;
import dev.shardkv.core.topology.ShardEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The catch-up phase: the source's records by range into a-f and g-l, noting the operation's own freeze. */
class CatchUpTest {
    final MemoryReplica left = new MemoryReplica("t-a-f-leader");
    final MemoryReplica right = new MemoryReplica("t-g-l-leader");
    final CatchUp catchUp = new CatchUp("op-1", RoutingMode.RANGE, List.of(
            new Copier.Target(new ShardEntry("a-f", null, "g", "t-a-f-leader", List.of()), left),
            new Copier.Target(new ShardEntry("g-l", "g", "m", "t-g-l-leader", List.of()), right)));
    int sequence;

    ChangeRecord upsert(StoredItem item) {
        return ChangeRecord.upsert(String.valueOf(++sequence), item);
    }

    ChangeRecord fence(String operation, boolean frozen) {
        return upsert(StoredItem.live(Keys.FENCE_KEY, new Fence(frozen, frozen ? operation : null).json(), ++sequence, 5_000));
    }

    @Test
    void recordsGoToTheirRangeAndTheFreezeIsNoted() {
        catchUp.expectFreeze(6);
        CatchUp.Result first = catchUp.apply(List.of(
                upsert(StoredItem.live("alpha", "1", 1, 1_000)),
                upsert(StoredItem.live("hotel", "1", 1, 1_001)),
                upsert(StoredItem.live(Keys.HEARTBEAT_KEY, "{}", 9, 1_002)),
                upsert(StoredItem.live("alpha", "2", 2, 1_003))));
        assertThat(first).isEqualTo(new CatchUp.Result(3, false, 1_003));
        assertThat(left.get("alpha").orElseThrow().value()).isEqualTo("2");
        assertThat(right.get("hotel")).isPresent();
        assertThat(left.get(Keys.HEARTBEAT_KEY)).isEmpty();

        CatchUp.Result second = catchUp.apply(List.of(
                fence("op-0", true), // another operation's freeze (long gone) is not ours
                upsert(StoredItem.live("golf", "1", 1, 1_004)),
                fence("op-1", true),
                upsert(StoredItem.live("bravo", "1", 1, 1_005)))); // from another stream shard: may predate the freeze
        assertThat(second.reachedFence()).isTrue();
        assertThat(second.applied()).isEqualTo(2);
        assertThat(right.get("golf")).isPresent();
        assertThat(left.get("bravo")).as("applied: with several stream shards it may have committed first").isPresent();
        assertThat(catchUp.reachedFence()).isTrue();
    }

    @Test
    void upsertsCommittedBeforeTheOperationAreLeftToTheCopy() {
        CatchUp late = new CatchUp("op-1", RoutingMode.RANGE, List.of(
                new Copier.Target(new ShardEntry("a-f", null, "g", "t-a-f-leader", List.of()), left),
                new Copier.Target(new ShardEntry("g-l", "g", "m", "t-g-l-leader", List.of()), right)), 1_500);
        CatchUp.Result result = late.apply(List.of(upsert(StoredItem.live("alpha", "old", 1, 1_000)),
                upsert(StoredItem.live("bravo", "new", 1, 1_500)), fence("op-1", true)));
        assertThat(result.applied()).isEqualTo(1);
        assertThat(left.get("alpha")).isEmpty();
        assertThat(left.get("bravo")).isPresent();
        assertThat(result.reachedFence()).as("no freeze expected yet").isFalse();
        late.expectFreeze(1);
        assertThat(late.reachedFence()).as("a freeze is never skipped, whatever its time").isTrue();
    }

    @Test
    void anEarlierFreezeOfTheSameOperationDoesNotCount() {
        catchUp.apply(List.of(fence("op-1", true), fence("op-1", false)));
        catchUp.expectFreeze(sequence + 1);
        assertThat(catchUp.reachedFence()).isFalse();
        assertThat(catchUp.apply(List.of(fence("op-1", true))).reachedFence()).isTrue();
    }

    @Test
    void recordsTheCopyAlreadyHoldsChangeNothingAndOlderOnesNeverWin() {
        right.apply(StoredItem.live("hotel", "copied", 5, 2_000));
        catchUp.apply(List.of(upsert(StoredItem.live("hotel", "old", 4, 1_500)),
                upsert(StoredItem.tombstone("india", 3, 1_600, 9_999))));
        assertThat(right.get("hotel").orElseThrow().value()).isEqualTo("copied");
        assertThat(right.get("india").orElseThrow().tombstone()).isTrue();
    }
}
