package dev.shardkv.core.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.protocol.ShardStatus;
import dev.shardkv.core.testing.FakeControl;
import dev.shardkv.core.testing.Maps;
import dev.shardkv.core.testing.MemoryLeader;
import dev.shardkv.core.testing.MemoryTransactions;
import dev.shardkv.core.testing.MutableClock;
import dev.shardkv.core.topology.ShardMapSource;
import dev.shardkv.core.tx.TxKind;
import dev.shardkv.core.tx.TxOp;
import dev.shardkv.core.tx.TxRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The writer of shard a-l over an in-memory leader: it writes its own keys and fences every other one by the map. */
class ShardWriterTest {
    final MutableClock clock = new MutableClock(1_000_000);
    final FakeControl control = new FakeControl(Maps.epoch1());
    final ShardMapSource maps = ShardMapSource.load(control, Maps.TOPOLOGY);
    final MemoryLeader leader = new MemoryLeader("t-a-l-leader");
    final ShardWriter writer = new ShardWriter("a-l", maps, leader, clock, ShardWriter.DEFAULT_TOMBSTONE_TTL,
            new MemoryTransactions(leader));

    @Test
    void writesAndReadsAKeyOfItsShard() {
        ShardResponse put = writer.handle(ShardRequest.put("hotel", "1", Precondition.NONE, 1));
        assertThat(put.status()).isEqualTo(ShardStatus.OK);
        assertThat(put.item()).isEqualTo(StoredItem.live("hotel", "1", 1, clock.millis()));
        assertThat(put.created()).isTrue();
        assertThat(put.servedBy()).isEqualTo("a-l/leader");
        assertThat(writer.handle(ShardRequest.strongGet("hotel", 1)).item().value()).isEqualTo("1");
    }

    @Test
    void refusesAKeyItsMapGivesAnotherShardAndWritesNothing() {
        ShardResponse put = writer.handle(ShardRequest.put("mike", "1", Precondition.NONE, 1));
        assertThat(put.status()).isEqualTo(ShardStatus.WRONG_SHARD);
        assertThat(put.epoch()).isEqualTo(1);
        assertThat(put.detail()).contains("m-z");
        assertThat(leader.get("mike")).isEmpty();
    }

    @Test
    void afterAReshardRefusesAKeyThatMovedAndAnswersTheNewEpoch() {
        control.store(Maps.epoch2()); // "hotel" now belongs to g-l
        for (ShardRequest request : List.of(ShardRequest.put("hotel", "1", Precondition.NONE, 2),
                ShardRequest.delete("hotel", Precondition.NONE, 2), ShardRequest.strongGet("hotel", 2))) {
            ShardResponse answer = writer.handle(request);
            assertThat(answer.status()).as(request.op()).isEqualTo(ShardStatus.WRONG_SHARD);
            assertThat(answer.epoch()).as("the epoch the gateway should re-read to").isEqualTo(2);
            assertThat(answer.detail()).contains("epoch 2").contains("g-l");
        }
        assertThat(leader.get("hotel")).isEmpty();
        assertThat(writer.handle(ShardRequest.put("alpha", "1", Precondition.NONE, 2)).status())
                .as("a key that stayed is still written").isEqualTo(ShardStatus.OK);
        assertThat(writer.handle(ShardRequest.put("hotel", "1", Precondition.NONE, 1)).status())
                .as("once the writer knows epoch 2, an old-epoch request is fenced too").isEqualTo(ShardStatus.WRONG_SHARD);
    }

    @Test
    void aBatchReadOrATransactionWithAKeyOfAnotherShardIsWrongShard() {
        control.store(Maps.epoch2());
        ShardResponse batch = writer.handle(ShardRequest.batchGet(List.of("alpha", "hotel"), null, 2));
        assertThat(batch.status()).isEqualTo(ShardStatus.WRONG_SHARD);
        assertThat(batch.epoch()).isEqualTo(2);

        ShardResponse tx = writer.handle(ShardRequest.tx(new TxRequest(List.of(
                new TxOp(TxKind.PUT, "alpha", "1", null), new TxOp(TxKind.PUT, "hotel", "2", null)), 2)));
        assertThat(tx.status()).isEqualTo(ShardStatus.WRONG_SHARD);
        assertThat(tx.epoch()).isEqualTo(2);
        assertThat(leader.get("alpha")).as("nothing of it written").isEmpty();
    }

    @Test
    void aTransactionOnItsOwnKeysCommitsAndTheConditionsHold() {
        leader.seed(StoredItem.live("bravo", "0", 4, 1));
        ShardResponse tx = writer.handle(ShardRequest.tx(new TxRequest(List.of(
                new TxOp(TxKind.PUT, "alpha", "1", 0L), new TxOp(TxKind.DELETE, "bravo", null, 4L)), 1)));
        assertThat(tx.status()).isEqualTo(ShardStatus.OK);
        assertThat(tx.tx().committed()).isTrue();
        assertThat(leader.get("alpha").orElseThrow().version()).isEqualTo(1);
        assertThat(leader.get("bravo").orElseThrow().isLive()).isFalse();
        assertThat(leader.get("bravo").orElseThrow().version()).isEqualTo(5);
    }

    @Test
    void outcomesOfConditionalWrites() {
        writer.handle(ShardRequest.put("alpha", "1", Precondition.NONE, 1));
        ShardResponse outdated = writer.handle(ShardRequest.put("alpha", "2", Precondition.ifMatch(7), 1));
        assertThat(outdated.status()).isEqualTo(ShardStatus.PRECONDITION_FAILED);
        assertThat(outdated.item().version()).isEqualTo(1);
        assertThat(writer.handle(ShardRequest.delete("bravo", Precondition.NONE, 1)).status()).isEqualTo(ShardStatus.NOT_FOUND);
        assertThat(writer.handle(ShardRequest.put("__shardkv:x", "1", Precondition.NONE, 1)).status())
                .as("a reserved key is invalid, not written").isEqualTo(ShardStatus.INVALID);
    }
}
