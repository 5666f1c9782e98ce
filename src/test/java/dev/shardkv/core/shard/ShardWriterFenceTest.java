package dev.shardkv.core.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.kv.WriteOutcome;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.protocol.ShardStatus;
import dev.shardkv.core.store.Fence;
import dev.shardkv.core.store.LeaderStore;
import dev.shardkv.core.testing.FakeControl;
import dev.shardkv.core.testing.Maps;
import dev.shardkv.core.testing.MemoryLeader;
import dev.shardkv.core.testing.MemoryTransactions;
import dev.shardkv.core.testing.MutableClock;
import dev.shardkv.core.topology.ShardMapSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The writer of a-l under a freeze: a frozen shard answers nothing from its leader and writes nothing;
 * a write that commits as the shard freezes is answered "in doubt", never acknowledged.
 */
class ShardWriterFenceTest {
    final MutableClock clock = new MutableClock(1_000_000);
    final ShardMapSource maps = ShardMapSource.load(new FakeControl(Maps.epoch1()), Maps.TOPOLOGY);
    final MemoryLeader leader = new MemoryLeader("t-a-l-leader");
    /** Set to freeze the shard right after the next write commits, as a reshard racing it would. */
    volatile boolean freezeAfterNextWrite;

    final LeaderStore racing = new LeaderStore() {
        @Override
        public WriteOutcome put(String key, String valueJson, long ts, Precondition precondition) {
            return freezeAfter(leader.put(key, valueJson, ts, precondition));
        }

        @Override
        public WriteOutcome delete(String key, long ts, long expiresAtEpochSeconds, Precondition precondition) {
            return freezeAfter(leader.delete(key, ts, expiresAtEpochSeconds, precondition));
        }

        @Override
        public Optional<StoredItem> get(String key) {
            return leader.get(key);
        }

        @Override
        public String table() {
            return leader.table();
        }

        @Override
        public ScanPage scanLive(String prefix, String exclusiveStartKey, int pageSize, boolean consistent) {
            return leader.scanLive(prefix, exclusiveStartKey, pageSize, consistent);
        }

        @Override
        public CountPage countLive(String prefix, String exclusiveStartKey, int pageSize, boolean consistent) {
            return leader.countLive(prefix, exclusiveStartKey, pageSize, consistent);
        }

        @Override
        public ScanPage scanSegment(int segment, int segments, String exclusiveStartKey, int pageSize) {
            return leader.scanSegment(segment, segments, exclusiveStartKey, pageSize);
        }

        @Override
        public VersionPage scanVersions(int segment, int segments, String exclusiveStartKey, int pageSize, boolean consistent) {
            return leader.scanVersions(segment, segments, exclusiveStartKey, pageSize, consistent);
        }
    };

    final ShardWriter writer = new ShardWriter("a-l", maps, racing, clock, ShardWriter.DEFAULT_TOMBSTONE_TTL,
            new MemoryTransactions(leader));

    WriteOutcome freezeAfter(WriteOutcome outcome) {
        if (freezeAfterNextWrite) {
            freezeAfterNextWrite = false;
            Fence.freeze(leader, "op-1", clock.millis());
        }
        return outcome;
    }

    ShardResponse put(String key, String value) {
        return writer.handle(ShardRequest.put(key, value, Precondition.NONE, 1));
    }

    @Test
    void aFrozenShardWritesNothingAndAnswersFrozenUntilItIsOpenedAgain() throws InterruptedException {
        assertThat(put("alpha", "1").status()).isEqualTo(ShardStatus.OK);
        Fence.freeze(leader, "op-1", clock.millis());
        Thread.sleep(FenceGate.FRESH.toMillis() + 50); // the writer was idle since before the freeze

        assertThat(put("alpha", "2").status()).as("its fence read is old: read again, refused").isEqualTo(ShardStatus.FROZEN);
        assertThat(put("alpha", "3").status()).as("known frozen: refused before writing").isEqualTo(ShardStatus.FROZEN);
        assertThat(leader.get("alpha").orElseThrow().value()).isEqualTo("1");
        assertThat(writer.handle(ShardRequest.delete("alpha", Precondition.NONE, 1)).status()).isEqualTo(ShardStatus.FROZEN);
        assertThat(writer.handle(ShardRequest.strongGet("alpha", 1)).status())
                .as("a strong read of a frozen shard may miss its new owners' writes").isEqualTo(ShardStatus.FROZEN);
        assertThat(writer.handle(ShardRequest.batchGet(List.of("alpha", "bravo"), null, 1)).status())
                .isEqualTo(ShardStatus.FROZEN);

        Fence.open(leader, clock.millis()); // the operation aborted before its cutover
        assertThat(put("alpha", "4").status()).isEqualTo(ShardStatus.OK);
        assertThat(writer.handle(ShardRequest.strongGet("alpha", 1)).item().value()).isEqualTo("4");
    }

    @Test
    void aWriteThatCommitsAsTheShardFreezesIsInDoubtNeverAcknowledged() {
        freezeAfterNextWrite = true;
        ShardResponse put = put("bravo", "1");
        assertThat(put.status()).isEqualTo(ShardStatus.IN_DOUBT);
        assertThat(put.item().version()).as("what committed, for the cutover to settle").isEqualTo(1);

        assertThat(writer.handle(ShardRequest.put("bravo", "2", Precondition.ifMatch(9), 1)).status())
                .as("a refused write on a frozen shard is frozen, not a stale 412").isEqualTo(ShardStatus.FROZEN);
    }

    @Test
    void aFailedConditionIsAnsweredOnlyWhileTheShardIsOpen() {
        put("charlie", "1");
        freezeAfterNextWrite = true;
        ShardResponse stale = writer.handle(ShardRequest.put("charlie", "2", Precondition.ifMatch(9), 1));
        assertThat(stale.status()).as("the new owner may hold the version the client expects").isEqualTo(ShardStatus.FROZEN);
        assertThat(leader.get(Keys.FENCE_KEY)).isPresent();
    }

    @Test
    void aTransactionOnAFrozenShardIsFrozenNotInvalid() {
        Fence.freeze(leader, "op-1", clock.millis());
        ShardResponse tx = writer.handle(ShardRequest.tx(new dev.shardkv.core.tx.TxRequest(List.of(
                new dev.shardkv.core.tx.TxOp(dev.shardkv.core.tx.TxKind.PUT, "alpha", "1", null)), 1)));
        assertThat(tx.status()).as("the gateway waits it out and retries on the new owner").isEqualTo(ShardStatus.FROZEN);
        assertThat(leader.get("alpha")).isEmpty();
    }
}
