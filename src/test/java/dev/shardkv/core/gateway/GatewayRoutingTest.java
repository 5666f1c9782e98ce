package dev.shardkv.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.protocol.ShardStatus;
import dev.shardkv.core.testing.FakeShards;
import dev.shardkv.core.testing.Maps;
import dev.shardkv.core.tx.TxKind;
import dev.shardkv.core.tx.TxOp;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Routing across a reshard, through the gateway: a writer that answers "wrong shard" makes the gateway
 * re-read the map and send the request again by the new map, a bounded number of times.
 */
class GatewayRoutingTest {
    final GatewayFixture f = new GatewayFixture();

    /** The first writer of a-l asked with epoch 1 learns of the split (the map moves to epoch 2) and refuses. */
    void reshardOnFirstCall() {
        f.shards.answer(call -> {
            if (call.request().epoch() == 1 && "a-l".equals(call.shard())) {
                f.control.store(Maps.epoch2());
                return ShardResponse.of(ShardStatus.WRONG_SHARD, "a-l", "a-l/leader", null, 2, "wrong shard, epoch 2");
            }
            return GatewayFixture.standard(call);
        });
    }

    @Test
    void aWriteRefusedAsWrongShardIsSentAgainToTheNewShardWithTheNewEpoch() {
        reshardOnFirstCall();
        WriteResult result = f.gateway.put("hotel", "1", Precondition.NONE, ConsistencyToken.EMPTY);
        assertThat(f.shards.calls()).extracting(FakeShards.Call::shard).containsExactly("a-l", "g-l");
        assertThat(f.shards.calls()).extracting(c -> c.request().epoch()).containsExactly(1L, 2L);
        assertThat(result.shard()).isEqualTo("g-l");
        assertThat(result.token()).isEqualTo(ConsistencyToken.of("g-l", GatewayFixture.NOW));
        assertThat(f.gateway.shardMap().epoch()).isEqualTo(2);
    }

    /** GET /v1/shards: right after a reshard publishes, the stored map, not the routing cache's (up to a second old). */
    @Test
    void theStoredMapIsReadAgainWhileRoutingStillHoldsItsCache() {
        assertThat(f.gateway.shardMap().epoch()).isEqualTo(1);
        f.control.store(Maps.epoch2());
        assertThat(f.gateway.storedShardMap().epoch()).isEqualTo(2);
    }

    @Test
    void aStrongReadIsRoutedAgainTheSameWay() {
        reshardOnFirstCall();
        assertThat(f.gateway.get("hotel", ReadOptions.STRONG).servedBy()).isEqualTo("g-l/leader");
        assertThat(f.shards.calls()).extracting(FakeShards.Call::shard).containsExactly("a-l", "g-l");
    }

    @Test
    void aTransactionIsRoutedAgainByTheNewMap() {
        reshardOnFirstCall();
        Gateway.TxAnswer answer = f.gateway.transact(List.of(new TxOp(TxKind.PUT, "hotel", "1", null),
                new TxOp(TxKind.PUT, "alpha", "1", null)), ConsistencyToken.EMPTY);
        assertThat(f.shards.calls()).extracting(FakeShards.Call::to)
                .as("a-l's writer first; by epoch 2 the keys span g-l and a-l: the coordinator")
                .containsExactly(FakeShards.WRITER, FakeShards.COORDINATOR);
        assertThat(f.shards.calls().get(1).request(ShardRequest.Transact.class).tx().epoch()).isEqualTo(2);
        assertThat(answer.shards()).containsExactly("g-l", "a-l");
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // fails, not hangs, if the retry is unbounded
    void aWriterThatKeepsAnsweringWrongShardIsNotAskedForever() {
        f.shards.answer(call -> ShardResponse.of(ShardStatus.WRONG_SHARD, call.shard(), "x", null, 1, "wrong shard"));
        assertThatThrownBy(() -> f.gateway.put("alpha", "1", Precondition.NONE, ConsistencyToken.EMPTY))
                .isInstanceOfSatisfying(ShardKvException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.WRONG_SHARD);
                    assertThat(e.fields()).containsEntry("key", "alpha");
                });
        assertThat(f.shards.calls()).as("the first try and 3 retries").hasSize(4);
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // fails, not hangs, if the retry is unbounded
    void aTransactionThatKeepsMeetingWrongShardIsNotSentForever() {
        f.shards.answer(call -> ShardResponse.of(ShardStatus.WRONG_SHARD, call.shard(), "x", null, 1, "wrong shard"));
        Supplier<Gateway.TxAnswer> tx = () -> f.gateway.transact(List.of(new TxOp(TxKind.PUT, "alpha", "1", null)),
                ConsistencyToken.EMPTY);
        assertThatThrownBy(tx::get).isInstanceOfSatisfying(ShardKvException.class,
                e -> assertThat(e.type().status()).isEqualTo(503));
        assertThat(f.shards.calls()).as("the first try and 3 retries").hasSize(4);
    }
}
