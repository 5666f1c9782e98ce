package dev.shardkv.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.protocol.ShardStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Puts and deletes: to the key's writer, under the lag throttle, answers mapped to results or refusals. */
class GatewayWritesTest {
    final GatewayFixture f = new GatewayFixture();

    @Test
    void aPutGoesToTheKeysWriterAndTheTokenGainsItsCommit() {
        ConsistencyToken before = ConsistencyToken.of("m-z", 7);
        WriteResult result = f.gateway.put("mike", "{\"a\":1}", Precondition.CREATE_ONLY, before);
        assertThat(result.shard()).isEqualTo("m-z");
        assertThat(result.created()).isTrue();
        assertThat(result.token()).isEqualTo(ConsistencyToken.of("m-z", GatewayFixture.NOW));
        assertThat(f.shards.calls()).singleElement().satisfies(call -> {
            assertThat(call.isWriter()).isTrue();
            assertThat(call.shard()).isEqualTo("m-z");
            assertThat(call.request()).isInstanceOf(ShardRequest.Put.class);
            assertThat(call.request(ShardRequest.Put.class).value()).isEqualTo("{\"a\":1}");
            assertThat(call.request(ShardRequest.Put.class).precondition()).isEqualTo(Precondition.CREATE_ONLY);
            assertThat(call.request().epoch()).isEqualTo(1);
        });
        assertThat(f.gateway.load().of("m-z").writes()).isEqualTo(1);
    }

    @Test
    void aDeleteGoesToTheKeysWriter() {
        WriteResult result = f.gateway.delete("alpha", Precondition.NONE, ConsistencyToken.EMPTY);
        assertThat(result.item().isLive()).isFalse();
        assertThat(result.token()).isEqualTo(ConsistencyToken.of("a-l", GatewayFixture.NOW));
        assertThat(f.shards.calls()).singleElement().satisfies(call -> {
            assertThat(call.shard()).isEqualTo("a-l");
            assertThat(call.request()).isInstanceOf(ShardRequest.Delete.class);
        });
    }

    @Test
    void whileAReplicaIsTooFarBehindTheThrottleRefusesTheWriteBeforeAnyCall() {
        GatewayFixture g = new GatewayFixture(null, Duration.ofMillis(500));
        g.replicaAt("a-l", 2, 600);
        for (Runnable write : new Runnable[] {
                () -> g.gateway.put("alpha", "1", Precondition.NONE, ConsistencyToken.EMPTY),
                () -> g.gateway.delete("alpha", Precondition.NONE, ConsistencyToken.EMPTY)}) {
            assertThatThrownBy(write::run).isInstanceOfSatisfying(ShardKvException.class, e -> {
                assertThat(e.type()).isEqualTo(ProblemType.WRITES_THROTTLED);
                assertThat(e.fields()).containsEntry("shard", "a-l").containsEntry("retryAfter", 1);
            });
        }
        assertThat(g.shards.calls()).isEmpty();
        assertThat(g.gateway.throttle().state(g.maps.current().route("alpha")).rejected()).isEqualTo(2);

        g.gateway.put("mike", "1", Precondition.NONE, ConsistencyToken.EMPTY); // another shard: not throttled
        g.replicaAt("a-l", 2, 400);
        g.gateway.put("alpha", "1", Precondition.NONE, ConsistencyToken.EMPTY); // caught up: within the bound
        assertThat(g.shards.calls()).hasSize(2);
    }

    @Test
    void aThrottledShardFunctionIs503WithRetryAfterAndCounted() {
        f.shards.answer(call -> {
            throw new RuntimeException("wrapped", new IllegalStateException("ProvisionedThroughputExceededException"));
        });
        assertThatThrownBy(() -> f.gateway.delete("alpha", Precondition.NONE, ConsistencyToken.EMPTY))
                .isInstanceOfSatisfying(ShardKvException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.SHARD_UNAVAILABLE);
                    assertThat(e.fields()).containsEntry("shard", "a-l").containsEntry("retryAfter", 1);
                });
        assertThat(f.gateway.load().of("a-l").throttles()).isEqualTo(1);

        RuntimeException other = new IllegalStateException("connection reset");
        f.shards.answer(call -> {
            throw other;
        });
        assertThatThrownBy(() -> f.gateway.put("alpha", "1", Precondition.NONE, ConsistencyToken.EMPTY))
                .as("any other failure passes through").isSameAs(other);
        assertThat(f.gateway.load().of("a-l").throttles()).isEqualTo(1);
    }

    @Test
    void theWritersRefusalsBecomeProblems() {
        f.shards.answer(call -> ShardResponse.of(ShardStatus.PRECONDITION_FAILED, "a-l", "a-l/leader",
                StoredItem.live("alpha", "1", 4, 1), 1, null));
        assertThatThrownBy(() -> f.gateway.put("alpha", "1", Precondition.ifMatch(3), ConsistencyToken.EMPTY))
                .isInstanceOfSatisfying(ShardKvException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.PRECONDITION_FAILED);
                    assertThat(e.fields()).containsEntry("currentVersion", 4L).containsEntry("key", "alpha");
                });
        f.shards.answer(call -> ShardResponse.of(ShardStatus.NOT_FOUND, "a-l", "a-l/leader", null, 1, null));
        assertThatThrownBy(() -> f.gateway.delete("alpha", Precondition.NONE, ConsistencyToken.EMPTY))
                .isInstanceOfSatisfying(ShardKvException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.NOT_FOUND));
        f.shards.answer(call -> ShardResponse.of(ShardStatus.INVALID, "a-l", "a-l/leader", null, 1, "bad value"));
        assertThatThrownBy(() -> f.gateway.put("alpha", "1", Precondition.NONE, ConsistencyToken.EMPTY))
                .isInstanceOfSatisfying(ShardKvException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.INVALID_REQUEST);
                    assertThat(e.detail()).isEqualTo("bad value");
                });
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aShardFrozenPastTheWaitIs503WithRetryAfterAndAWriteInDoubtSaysSo() {
        f.shards.answer(call -> ShardResponse.of(ShardStatus.FROZEN, "a-l", "a-l/leader", null, 1, "frozen"));
        assertThatThrownBy(() -> f.gateway.put("alpha", "1", Precondition.NONE, ConsistencyToken.EMPTY))
                .isInstanceOfSatisfying(ShardKvException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.SHARD_FROZEN);
                    assertThat(e.type().status()).isEqualTo(503);
                    assertThat(e.fields()).containsEntry("shard", "a-l").containsEntry("retryAfter", 1);
                });
        assertThat(f.shards.calls().size()).as("waited out with retries first").isGreaterThan(2);

        f.shards.answer(call -> ShardResponse.of(ShardStatus.IN_DOUBT, "a-l", "a-l/leader",
                StoredItem.live("alpha", "1", 3, 1), 1, "in doubt"));
        assertThatThrownBy(() -> f.gateway.delete("alpha", Precondition.NONE, ConsistencyToken.EMPTY))
                .isInstanceOfSatisfying(ShardKvException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.WRITE_IN_DOUBT);
                    assertThat(e.fields()).containsEntry("key", "alpha").containsEntry("retryAfter", 1);
                });
    }

    @Test
    void badKeysAndTokensAreRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> f.gateway.put("", "1", Precondition.NONE, ConsistencyToken.EMPTY))
                .isInstanceOfSatisfying(ShardKvException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.INVALID_KEY));
        assertThatThrownBy(() -> f.gateway.delete("alpha", Precondition.NONE, ConsistencyToken.of("zz", 1)))
                .isInstanceOfSatisfying(ShardKvException.class,
                        e -> assertThat(e.type()).isEqualTo(ProblemType.INVALID_CONSISTENCY));
        assertThat(f.shards.calls()).isEmpty();
    }
}
