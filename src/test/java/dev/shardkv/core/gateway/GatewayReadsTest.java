package dev.shardkv.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.consistency.Consistency;
import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.protocol.ShardStatus;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.testing.FakeShards;
import dev.shardkv.core.verify.LastVerification;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Single reads: a replica when the consistency choice allows one, the leader otherwise or when the replica fails. */
class GatewayReadsTest {
    final GatewayFixture f = new GatewayFixture();

    ReadResult get(String key, ReadOptions options) {
        return f.gateway.get(key, options);
    }

    @Test
    void eventualReadsAReplicaWhoseLagIsKnown() {
        f.replicaAt("a-l", 2, 300);
        ReadResult read = get("alpha", ReadOptions.EVENTUAL);
        assertThat(read.servedBy()).isEqualTo("a-l/replica-2");
        assertThat(read.item().value()).isEqualTo("\"a-l/replica-2\"");
        assertThat(read.lagMs()).hasValue(300);
        assertThat(f.shards.calls()).singleElement().satisfies(call -> {
            assertThat(call.isReader()).isTrue();
            assertThat(call.request()).isInstanceOf(ShardRequest.Get.class);
            assertThat(call.request(ShardRequest.Get.class).replica()).isEqualTo(2);
            assertThat(call.request().epoch()).isEqualTo(1);
        });
        assertThat(f.gateway.load().of("a-l").reads()).isEqualTo(1);
    }

    @Test
    void theLeaderAnswersWhenNoReplicasLagIsKnown() {
        f.replicaAt("m-z", 1, 300); // another shard's replica: says nothing about a-l
        ReadResult read = get("alpha", ReadOptions.EVENTUAL);
        assertThat(read.servedBy()).isEqualTo("a-l/leader");
        assertThat(read.lagMs()).isEqualTo(OptionalLong.of(0));
        assertThat(f.shards.calls()).singleElement().satisfies(call -> {
            assertThat(call.isWriter()).isTrue();
            assertThat(call.request()).isInstanceOf(ShardRequest.Get.class);
            assertThat(call.request(ShardRequest.Get.class).replica()).isNull();
        });
    }

    @Test
    void boundedReadsOnlyAReplicaUnderTheBound() {
        f.replicaAt("a-l", 1, 100);
        f.replicaAt("a-l", 2, 3_000);
        for (int i = 0; i < 20; i++) {
            assertThat(get("alpha", new ReadOptions(Consistency.BOUNDED, 500, ConsistencyToken.EMPTY)).servedBy())
                    .isEqualTo("a-l/replica-1");
        }
        assertThat(get("alpha", new ReadOptions(Consistency.BOUNDED, 50, ConsistencyToken.EMPTY)).servedBy())
                .isEqualTo("a-l/leader");
    }

    @Test
    void sessionReadsOnlyAReplicaThatHasTheClientsWrites() {
        f.replicaAt("a-l", 1, 100);
        f.replicaAt("a-l", 2, 100);
        ConsistencyToken wroteLongAgo = ConsistencyToken.of("a-l", GatewayFixture.NOW - 500 - dev.shardkv.core.consistency.ReadPlanner.SESSION_MARGIN_MS);
        ConsistencyToken wroteJustNow = ConsistencyToken.of("a-l", GatewayFixture.NOW - 10);
        assertThat(get("alpha", new ReadOptions(Consistency.SESSION, 0, wroteLongAgo)).servedBy()).startsWith("a-l/replica-");
        assertThat(get("alpha", new ReadOptions(Consistency.SESSION, 0, wroteJustNow)).servedBy()).isEqualTo("a-l/leader");
    }

    @Test
    void aDivergentReplicaServesNoReadUntilAVerificationClearsIt() {
        f.replicaAt("a-l", 1, 100);
        f.replicaAt("a-l", 2, 100);
        f.verifications.record(new LastVerification("a-l", "t-a-l-replica-1", 1, 0, 1, 0, 0, "op-1"));
        for (int i = 0; i < 50; i++) {
            assertThat(get("alpha", ReadOptions.EVENTUAL).servedBy()).isEqualTo("a-l/replica-2");
            assertThat(f.gateway.batchGet(List.of("alpha", "bravo"), ReadOptions.EVENTUAL).results())
                    .allSatisfy(r -> assertThat(r.servedBy()).isEqualTo("a-l/replica-2"));
        }
        f.verifications.record(new LastVerification("a-l", "t-a-l-replica-2", 1, 2, 0, 0, 0, "op-1"));
        f.clock.advance(LastVerifications.MAX_AGE.toMillis());
        assertThat(get("alpha", ReadOptions.EVENTUAL).servedBy()).as("both divergent").isEqualTo("a-l/leader");

        f.verifications.record(new LastVerification("a-l", "t-a-l-replica-1", 2, 0, 1, 0, 1, "op-2")); // repaired
        f.clock.advance(LastVerifications.MAX_AGE.toMillis());
        f.replicaAt("a-l", 1, 100);
        assertThat(get("alpha", ReadOptions.EVENTUAL).servedBy()).isEqualTo("a-l/replica-1");
        assertThat(f.gateway.verifications().of("t-a-l-replica-1")).map(LastVerification::operation).hasValue("op-2");
    }

    @Test
    void strongAlwaysReadsTheLeader() {
        f.replicaAt("a-l", 1, 0);
        f.replicaAt("a-l", 2, 0);
        assertThat(get("alpha", ReadOptions.STRONG).servedBy()).isEqualTo("a-l/leader");
        assertThat(f.shards.callsTo(FakeShards.READER)).isEmpty();
    }

    @Test
    void aReplicaThatFailsOrRefusesOrHoldsUndecodableTextFallsBackToTheLeader() {
        f.replicaAt("a-l", 1, 100);
        List<ShardResponse> badAnswers = Arrays.asList(null, // throws
                ShardResponse.of(ShardStatus.INVALID, "a-l", "a-l/replicas", null, 1, "no such replica"),
                ShardResponse.ok("a-l", "a-l/replica-1", StoredItem.live("alpha", "not json", 1, 1), false, 1));
        for (ShardResponse bad : badAnswers) {
            f.shards.answer(call -> {
                if (!call.isReader()) {
                    return GatewayFixture.standard(call);
                }
                if (bad == null) {
                    throw new IllegalStateException("the reader timed out");
                }
                return bad;
            });
            assertThat(get("alpha", ReadOptions.EVENTUAL).servedBy()).isEqualTo("a-l/leader");
        }
    }

    @Test
    void aReplicaThatDoesNotHaveTheKeyIsAnAnswer() {
        f.replicaAt("a-l", 1, 100);
        f.shards.answer(call -> call.isReader()
                ? ShardResponse.of(ShardStatus.NOT_FOUND, "a-l", "a-l/replica-1", null, 1, null)
                : GatewayFixture.standard(call));
        ReadResult read = get("alpha", ReadOptions.EVENTUAL);
        assertThat(read.found()).isFalse();
        assertThat(read.servedBy()).isEqualTo("a-l/replica-1");
        assertThat(f.shards.callsTo(FakeShards.WRITER)).isEmpty();
    }

    @Test
    void theWatermarkAReplicaReadCarriesIsLearned() {
        f.replicaAt("a-l", 1, 400);
        Watermark newer = new Watermark(GatewayFixture.NOW - 20, "9", GatewayFixture.NOW);
        f.shards.answer(call -> GatewayFixture.standard(call).withWatermark(newer));
        get("alpha", ReadOptions.EVENTUAL);
        assertThat(f.tracker.watermark("a-l", 1)).contains(newer);
    }

    @Test
    void anUndecodableValueOnTheLeaderIsRefusedNotSent() {
        f.shards.answer(call -> ShardResponse.ok("a-l", "a-l/leader", StoredItem.live("alpha", "not json", 3, 1), false, 1));
        assertThatThrownBy(() -> get("alpha", ReadOptions.STRONG)).isInstanceOfSatisfying(ShardKvException.class, e -> {
            assertThat(e.type()).isEqualTo(ProblemType.UNDECODABLE_ITEM);
            assertThat(e.fields()).containsEntry("version", 3L).containsEntry("shard", "a-l");
        });
    }

    @Test
    void aTokenNamingAShardTheMapNeverHadIsRefusedBeforeAnyCall() {
        ReadOptions options = new ReadOptions(Consistency.SESSION, 0, ConsistencyToken.of("made-up", 5));
        assertThatThrownBy(() -> get("alpha", options)).isInstanceOfSatisfying(ShardKvException.class,
                e -> assertThat(e.type()).isEqualTo(ProblemType.INVALID_CONSISTENCY));
        assertThatThrownBy(() -> get("__shardkv:heartbeat", ReadOptions.EVENTUAL)).isInstanceOf(ShardKvException.class);
        assertThat(f.shards.calls()).isEmpty();
    }

    @Test
    void watermarksAreAskedOfTheReaderAtMostOncePerInterval() {
        GatewayFixture g = new GatewayFixture(Duration.ofSeconds(1), Duration.ZERO);
        Watermark fresh = new Watermark(GatewayFixture.NOW - 100, "5", GatewayFixture.NOW);
        g.shards.answer(call -> call.request() instanceof ShardRequest.Watermarks
                ? ShardResponse.watermarks(call.shard(), 0, Arrays.asList(null, fresh))
                : GatewayFixture.standard(call));
        assertThat(g.gateway.get("alpha", ReadOptions.EVENTUAL).servedBy())
                .as("replica 2's watermark, learned first, makes it a candidate").isEqualTo("a-l/replica-2");
        g.gateway.get("bravo", ReadOptions.EVENTUAL);
        g.clock.advance(999);
        g.gateway.get("bravo", ReadOptions.EVENTUAL);
        assertThat(watermarkCalls(g)).isEqualTo(1);
        g.clock.advance(1);
        g.gateway.get("bravo", ReadOptions.EVENTUAL);
        assertThat(watermarkCalls(g)).isEqualTo(2);
        assertThat(g.tracker.watermark("a-l", 1)).isEmpty();
    }

    static long watermarkCalls(GatewayFixture g) {
        return g.shards.calls().stream().filter(c -> c.request() instanceof ShardRequest.Watermarks).count();
    }
}
