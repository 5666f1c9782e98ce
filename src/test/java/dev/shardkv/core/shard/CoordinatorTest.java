package dev.shardkv.core.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.protocol.ShardStatus;
import dev.shardkv.core.store.Fence;
import dev.shardkv.core.testing.FakeControl;
import dev.shardkv.core.testing.Maps;
import dev.shardkv.core.testing.MemoryLeader;
import dev.shardkv.core.testing.MemoryTransactions;
import dev.shardkv.core.testing.MutableClock;
import dev.shardkv.core.topology.ShardMapSource;
import dev.shardkv.core.tx.TxKind;
import dev.shardkv.core.tx.TxOp;
import dev.shardkv.core.tx.TxRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The coordinator: transactions and strong batch reads across shards, and neither on a frozen shard. */
class CoordinatorTest {
    final MutableClock clock = new MutableClock(1_000_000);
    final MemoryLeader al = new MemoryLeader("t-a-l-leader");
    final MemoryLeader mz = new MemoryLeader("t-m-z-leader");
    final Coordinator coordinator = new Coordinator(ShardMapSource.load(new FakeControl(Maps.epoch1()), Maps.TOPOLOGY),
            new MemoryTransactions(al, mz), clock, Duration.ofDays(7));

    @Test
    void commitsAcrossShardsAndReadsOneSnapshot() {
        ShardResponse tx = coordinator.handle(ShardRequest.tx(new TxRequest(List.of(
                new TxOp(TxKind.PUT, "alpha", "1", 0L), new TxOp(TxKind.PUT, "mike", "2", 0L)), 1)));
        assertThat(tx.tx().committed()).isTrue();
        ShardResponse batch = coordinator.handle(ShardRequest.batchGet(List.of("alpha", "mike"), null, 1));
        assertThat(batch.status()).isEqualTo(ShardStatus.OK);
        assertThat(batch.items()).extracting(StoredItem::key).containsExactlyInAnyOrder("alpha", "mike");
    }

    @Test
    void aFrozenShardMakesBothFrozenForTheGatewayToWaitOut() {
        Fence.freeze(mz, "op-1", clock.millis());
        assertThat(coordinator.handle(ShardRequest.batchGet(List.of("alpha", "mike"), null, 1)).status())
                .isEqualTo(ShardStatus.FROZEN);
        assertThat(coordinator.handle(ShardRequest.tx(new TxRequest(List.of(
                new TxOp(TxKind.PUT, "alpha", "1", null), new TxOp(TxKind.PUT, "mike", "2", null)), 1))).status())
                .isEqualTo(ShardStatus.FROZEN);
        assertThat(al.get("alpha")).isEmpty();
    }
}
