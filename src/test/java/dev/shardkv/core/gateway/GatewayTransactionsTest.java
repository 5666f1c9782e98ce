package dev.shardkv.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.testing.FakeShards;
import dev.shardkv.core.tx.TxKind;
import dev.shardkv.core.tx.TxOp;
import dev.shardkv.core.tx.TxOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Transactions: checked at the edge, committed by one shard's writer or by the coordinator when they span shards. */
class GatewayTransactionsTest {
    final GatewayFixture f = new GatewayFixture();

    static TxOp put(String key) {
        return new TxOp(TxKind.PUT, key, "1", null);
    }

    @Test
    void aTransactionWithinOneShardGoesToItsWriter() {
        Gateway.TxAnswer answer = f.gateway.transact(List.of(put("alpha"), new TxOp(TxKind.CHECK, "bravo", null, 2L)),
                ConsistencyToken.of("m-z", 5));
        assertThat(f.shards.calls()).singleElement().satisfies(call -> {
            assertThat(call.isWriter()).isTrue();
            assertThat(call.shard()).isEqualTo("a-l");
            assertThat(call.request()).isInstanceOf(ShardRequest.Transact.class);
            assertThat(call.request(ShardRequest.Transact.class).tx().epoch()).isEqualTo(1);
            assertThat(call.request(ShardRequest.Transact.class).tx().operations()).hasSize(2);
        });
        assertThat(answer.shards()).containsExactly("a-l");
        assertThat(answer.outcome().committed()).isTrue();
        assertThat(answer.token()).isEqualTo(new ConsistencyToken(Map.of("m-z", 5L, "a-l", GatewayFixture.NOW)));
        assertThat(f.gateway.load().of("a-l").writes()).isEqualTo(1);
    }

    @Test
    void aTransactionAcrossShardsGoesToTheCoordinator() {
        Gateway.TxAnswer answer = f.gateway.transact(List.of(put("mike"), put("alpha"), put("zulu")), ConsistencyToken.EMPTY);
        assertThat(f.shards.calls()).singleElement().satisfies(call -> assertThat(call.to()).isEqualTo(FakeShards.COORDINATOR));
        assertThat(answer.shards()).containsExactly("m-z", "a-l");
        assertThat(answer.token()).isEqualTo(new ConsistencyToken(Map.of("m-z", GatewayFixture.NOW, "a-l", GatewayFixture.NOW)));
        assertThat(f.gateway.load().of("m-z").writes()).isEqualTo(1);
    }

    @Test
    void aTransactionThatDidNotCommitLeavesTheTokenAsItWas() {
        TxOutcome failed = TxOutcome.failed(List.of(), "a condition did not hold", 1);
        f.shards.answer(call -> ShardResponse.tx(call.shard(), "a-l/leader", 1, failed));
        ConsistencyToken token = ConsistencyToken.of("a-l", 3);
        Gateway.TxAnswer answer = f.gateway.transact(List.of(put("alpha")), token);
        assertThat(answer.outcome()).isEqualTo(failed);
        assertThat(answer.token()).isEqualTo(token);
    }

    @Test
    void everyShardATransactionWritesMustBeAdmittedByTheThrottle() {
        GatewayFixture g = new GatewayFixture(null, Duration.ofMillis(500));
        g.replicaAt("m-z", 1, 900);
        assertThatThrownBy(() -> g.gateway.transact(List.of(put("alpha"), put("mike")), ConsistencyToken.EMPTY))
                .isInstanceOfSatisfying(ShardKvException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.WRITES_THROTTLED);
                    assertThat(e.fields()).containsEntry("shard", "m-z");
                });
        assertThat(g.shards.calls()).isEmpty();
    }

    @Test
    void malformedTransactionsAreRefusedBeforeAnyCall() {
        List<TxOp> tooMany = new ArrayList<>();
        for (int i = 0; i <= Gateway.MAX_TX_OPERATIONS; i++) {
            tooMany.add(put("k" + i));
        }
        String big = "\"" + "x".repeat(200 * 1024) + "\"";
        List<TxOp> tooLarge = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            tooLarge.add(new TxOp(TxKind.PUT, "k" + i, big, null));
        }
        Map<List<TxOp>, String> refused = new java.util.LinkedHashMap<>();
        refused.put(List.of(), "1 to 100");
        refused.put(tooMany, "1 to 100");
        refused.put(Arrays.asList(put("a"), null), "operations[1] needs an op");
        refused.put(List.of(put("a"), new TxOp(TxKind.PUT, "", "1", null)), "operations[1]: The key must not be empty");
        refused.put(List.of(put("a"), put("a")), "operations[1] names the key \"a\" again");
        refused.put(List.of(new TxOp(TxKind.PUT, "a", "1", -1L)), "version must be 0 or more");
        refused.put(List.of(new TxOp(TxKind.PUT, "a", null, null)), "a put needs a value");
        refused.put(List.of(new TxOp(TxKind.DELETE, "a", "1", null)), "a delete takes no value");
        refused.put(List.of(new TxOp(TxKind.CHECK, "a", null, null)), "a check needs the version");
        refused.put(List.of(new TxOp(TxKind.CHECK, "a", "1", 1L)), "a check takes no value");
        refused.put(tooLarge, "DynamoDB takes at most");
        refused.forEach((ops, detail) -> assertThatThrownBy(() -> f.gateway.transact(ops, ConsistencyToken.EMPTY))
                .as(detail).isInstanceOfSatisfying(ShardKvException.class, e -> assertThat(e.detail()).contains(detail)));
        assertThatThrownBy(() -> f.gateway.transact(null, ConsistencyToken.EMPTY)).isInstanceOf(ShardKvException.class);
        assertThatThrownBy(() -> f.gateway.transact(tooLarge, ConsistencyToken.EMPTY))
                .isInstanceOfSatisfying(ShardKvException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.VALUE_TOO_LARGE));
        assertThatThrownBy(() -> f.gateway.transact(List.of(put("a"), new TxOp(TxKind.PUT, "", "1", null)), ConsistencyToken.EMPTY))
                .isInstanceOfSatisfying(ShardKvException.class, e -> assertThat(e.fields()).containsEntry("index", 1));
        assertThat(f.shards.calls()).isEmpty();
    }
}
