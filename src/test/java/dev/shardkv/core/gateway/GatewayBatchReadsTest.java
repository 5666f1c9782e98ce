package dev.shardkv.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.protocol.ShardStatus;
import dev.shardkv.core.testing.FakeShards;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Batch reads: grouped per shard, asked in parallel (or as one snapshot when strong), answered in request order. */
class GatewayBatchReadsTest {
    final GatewayFixture f = new GatewayFixture();

    static final List<String> KEYS = List.of("mike", "alpha", "zulu", "bravo", "alpha", "tango");

    @Test
    void keysAreGroupedPerShardAndAnsweredInRequestOrderOnce() {
        f.replicaAt("m-z", 1, 200); // m-z reads a replica, a-l its leader
        BatchGetResult result = f.gateway.batchGet(KEYS, ReadOptions.EVENTUAL);

        assertThat(result.results()).extracting(BatchGetResult.Entry::key)
                .containsExactly("mike", "alpha", "zulu", "bravo", "tango");
        assertThat(result.results()).extracting(BatchGetResult.Entry::servedBy)
                .containsExactly("m-z/replica-1", "a-l/leader", "m-z/replica-1", "a-l/leader", "m-z/replica-1");
        assertThat(result.results()).extracting(BatchGetResult.Entry::lagMs)
                .containsExactly(200L, 0L, 200L, 0L, 200L);
        assertThat(result.results()).allSatisfy(e -> assertThat(e.item().value()).isEqualTo("\"" + e.servedBy() + "\""));

        assertThat(f.shards.calls()).hasSize(2).allSatisfy(c -> assertThat(c.request()).isInstanceOf(ShardRequest.BatchGet.class));
        Map<String, List<String>> asked = new java.util.HashMap<>();
        f.shards.calls().forEach(c -> asked.put(c.to() + ":" + c.shard(), c.request(ShardRequest.BatchGet.class).keys()));
        assertThat(asked).containsOnly(Map.entry("reader:m-z", List.of("mike", "zulu", "tango")),
                Map.entry("writer:a-l", List.of("alpha", "bravo")));
        assertThat(f.gateway.load().of("a-l").reads()).isEqualTo(1);
        assertThat(f.gateway.load().of("m-z").reads()).isEqualTo(1);
    }

    @Test
    void keysNotFoundOrDeletedAreEntriesWithoutAnItem() {
        f.shards.answer(call -> ShardResponse.items(call.shard(), call.shard() + "/leader", 1,
                List.of(StoredItem.tombstone("bravo", 2, 1, 9))));
        BatchGetResult result = f.gateway.batchGet(List.of("alpha", "bravo"), ReadOptions.EVENTUAL);
        assertThat(result.results()).extracting(BatchGetResult.Entry::key).containsExactly("alpha", "bravo");
        assertThat(result.results()).allSatisfy(e -> {
            assertThat(e.item()).isNull();
            assertThat(e.servedBy()).isEqualTo("a-l/leader");
        });
    }

    @Test
    void strongWithinOneShardIsOneSnapshotFromItsWriter() {
        BatchGetResult result = f.gateway.batchGet(List.of("bravo", "alpha"), ReadOptions.STRONG);
        assertThat(f.shards.calls()).singleElement().satisfies(call -> {
            assertThat(call.isWriter()).isTrue();
            assertThat(call.shard()).isEqualTo("a-l");
            assertThat(call.request(ShardRequest.BatchGet.class).keys()).containsExactly("bravo", "alpha");
            assertThat(call.request(ShardRequest.BatchGet.class).replica()).isNull();
        });
        assertThat(result.results()).extracting(BatchGetResult.Entry::key).containsExactly("bravo", "alpha");
        assertThat(result.results()).extracting(BatchGetResult.Entry::servedBy).containsOnly("a-l/leader");
    }

    @Test
    void strongAcrossShardsIsOneSnapshotFromTheCoordinator() {
        BatchGetResult result = f.gateway.batchGet(KEYS, ReadOptions.STRONG);
        assertThat(f.shards.calls()).singleElement().satisfies(call -> {
            assertThat(call.to()).isEqualTo(FakeShards.COORDINATOR);
            assertThat(call.request(ShardRequest.BatchGet.class).keys()).containsExactly("mike", "alpha", "zulu", "bravo", "tango");
            assertThat(call.request().epoch()).isEqualTo(1);
        });
        assertThat(result.results()).extracting(BatchGetResult.Entry::shard).containsExactly("m-z", "a-l", "m-z", "a-l", "m-z");
        assertThat(result.results()).extracting(BatchGetResult.Entry::servedBy)
                .containsExactly("m-z/leader", "a-l/leader", "m-z/leader", "a-l/leader", "m-z/leader");
        assertThat(result.results()).allSatisfy(e -> assertThat(e.item()).isNotNull());
        assertThat(f.gateway.load().of("m-z").reads()).isEqualTo(1);
    }

    @Test
    void aBatchOfNoKeysOrMoreThanTheLimitIsRefused() {
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i <= Gateway.MAX_BATCH_KEYS; i++) {
            tooMany.add("k" + i);
        }
        for (List<String> keys : java.util.Arrays.asList(List.<String>of(), null, tooMany)) {
            assertThatThrownBy(() -> f.gateway.batchGet(keys, ReadOptions.EVENTUAL))
                    .isInstanceOfSatisfying(ShardKvException.class, e -> {
                        assertThat(e.type()).isEqualTo(ProblemType.INVALID_REQUEST);
                        assertThat(e.fields()).containsEntry("limit", 100);
                    });
        }
        assertThat(f.shards.calls()).isEmpty();
    }

    @Test
    void aShardThatFailsOrRefusesFailsTheBatch() {
        f.shards.answer(call -> {
            if (call.shard().equals("m-z")) {
                throw new IllegalStateException("down");
            }
            return GatewayFixture.standard(call);
        });
        assertThatThrownBy(() -> f.gateway.batchGet(KEYS, ReadOptions.EVENTUAL))
                .isInstanceOfSatisfying(ShardKvException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.SHARD_UNAVAILABLE));
        f.shards.answer(call -> ShardResponse.of(ShardStatus.INVALID, call.shard(), "x", null, 1, "no"));
        assertThatThrownBy(() -> f.gateway.batchGet(KEYS, ReadOptions.EVENTUAL))
                .isInstanceOfSatisfying(ShardKvException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.INVALID_REQUEST));
        assertThatThrownBy(() -> f.gateway.batchGet(KEYS, ReadOptions.STRONG))
                .isInstanceOfSatisfying(ShardKvException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.INVALID_REQUEST));
    }

    @Test
    void closingTheGatewayStopsItsFanOutThreads() {
        f.gateway.batchGet(KEYS, ReadOptions.EVENTUAL);
        f.gateway.close();
        assertThatThrownBy(() -> f.gateway.batchGet(KEYS, ReadOptions.EVENTUAL))
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
        assertThatThrownBy(() -> f.gateway.query(new QueryRequest(dev.shardkv.core.query.QueryKind.COUNT, null, null, null,
                10, null, dev.shardkv.core.consistency.Consistency.STRONG, 1_000)))
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    }
}
