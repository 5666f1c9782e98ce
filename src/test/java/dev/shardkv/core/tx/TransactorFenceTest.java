package dev.shardkv.core.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.store.Fence;
import dev.shardkv.core.testing.FakeControl;
import dev.shardkv.core.testing.Maps;
import dev.shardkv.core.testing.MemoryLeader;
import dev.shardkv.core.testing.MemoryTransactions;
import dev.shardkv.core.testing.MutableClock;
import dev.shardkv.core.topology.ShardMapSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A transaction never commits on a leader frozen for a reshard: the fence is in its snapshot and in its commit. */
class TransactorFenceTest {
    final MutableClock clock = new MutableClock(1_000_000);
    final MemoryLeader al = new MemoryLeader("t-a-l-leader");
    final MemoryLeader mz = new MemoryLeader("t-m-z-leader");
    final MemoryTransactions memory = new MemoryTransactions(al, mz);
    /** Freezes m-z once, between the transaction's snapshot and its commit, as a racing cutover would. */
    volatile boolean freezeBeforeNextCommit;
    final TransactionStore racing = new TransactionStore() {
        @Override
        public Map<ItemRef, StoredItem> read(List<ItemRef> refs) {
            return memory.read(refs);
        }

        @Override
        public List<String> write(List<Write> writes) {
            if (freezeBeforeNextCommit) {
                freezeBeforeNextCommit = false;
                Fence.freeze(mz, "op-1", clock.millis());
            }
            return memory.write(writes);
        }
    };
    final Transactor transactor = new Transactor(ShardMapSource.load(new FakeControl(Maps.epoch1()), Maps.TOPOLOGY),
            racing, clock, Duration.ofDays(7), shard -> true);

    static TxRequest acrossBothShards() {
        return new TxRequest(List.of(new TxOp(TxKind.PUT, "alpha", "1", null), new TxOp(TxKind.PUT, "mike", "2", null)), 1);
    }

    @Test
    void aTransactionOnAFrozenLeaderIsRefusedAndWritesNothing() {
        Fence.freeze(mz, "op-1", clock.millis());
        assertThatThrownBy(() -> transactor.execute(acrossBothShards()))
                .isInstanceOfSatisfying(ShardKvException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.SHARD_FROZEN));
        assertThat(al.get("alpha")).as("nothing on the open shard either").isEmpty();
        Fence.open(mz, clock.millis());
        assertThat(transactor.execute(acrossBothShards()).committed()).isTrue();
    }

    @Test
    void aFreezeBetweenTheSnapshotAndTheCommitCancelsTheCommit() {
        freezeBeforeNextCommit = true;
        assertThatThrownBy(() -> transactor.execute(acrossBothShards()))
                .isInstanceOfSatisfying(ShardKvException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.SHARD_FROZEN));
        assertThat(al.get("alpha")).isEmpty();
        assertThat(mz.get("mike")).isEmpty();
    }

    @Test
    void theFenceChecksCountAgainstDynamoDbsHundredItems() {
        List<TxOp> ops = new ArrayList<>();
        IntStream.range(0, 99).forEach(i -> ops.add(new TxOp(TxKind.PUT, "a" + i, "1", null)));
        assertThat(transactor.execute(new TxRequest(ops, 1)).committed()).as("99 on one shard + 1 fence").isTrue();
        ops.add(new TxOp(TxKind.PUT, "mike", "1", null));
        assertThatThrownBy(() -> transactor.execute(new TxRequest(ops, 1)))
                .isInstanceOfSatisfying(ShardKvException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.INVALID_REQUEST);
                    assertThat(e.detail()).contains("100 operations on 2 shards");
                });
    }
}
