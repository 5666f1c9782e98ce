package dev.shardkv.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.gateway.ReadOptions;
import dev.shardkv.core.gateway.ReadResult;
import dev.shardkv.core.gateway.WriteResult;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.dynamodb.ItemAttributes;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class EmbeddedClusterTest {
    static EmbeddedCluster cluster;

    @BeforeAll
    static void start() {
        cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(Topology.fromClasspath("topology-test.json")));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aWriteLandsOnItsShardsLeaderAndReachesEveryReplica() throws Exception {
        WriteResult w = cluster.gateway().put("Mango", "{\"n\":1}", Precondition.NONE, ConsistencyToken.EMPTY);
        assertThat(w.shard()).isEqualTo("m-s");
        assertThat(w.created()).isTrue();
        ShardEntry shard = cluster.shardMap().shard("m-s").orElseThrow();
        assertThat(item(shard.leader(), "Mango")).isNotNull();
        for (String other : new String[] {"a-l", "t-z"}) {
            assertThat(item(cluster.shardMap().shard(other).orElseThrow().leader(), "Mango")).isNull();
        }
        for (String replica : shard.replicas()) {
            StoredItem copy = await(replica, "Mango", 1);
            assertThat(copy.value()).isEqualTo("{\"n\":1}");
        }
    }

    @Test
    void strongReadsSeeAWriteAtOnce() {
        cluster.gateway().put("zebra", "[1,2]", Precondition.NONE, ConsistencyToken.EMPTY);
        ReadResult r = cluster.gateway().get("zebra", ReadOptions.STRONG);
        assertThat(r.item().value()).isEqualTo("[1,2]");
        assertThat(r.servedBy()).isEqualTo("t-z/leader");
    }

    @Test
    void conditionalWritesAndDeletes() throws Exception {
        WriteResult first = cluster.gateway().put("apple", "1", Precondition.CREATE_ONLY, ConsistencyToken.EMPTY);
        assertThat(first.item().version()).isEqualTo(1);
        assertThatThrownBy(() -> cluster.gateway().put("apple", "2", Precondition.CREATE_ONLY, ConsistencyToken.EMPTY))
                .isInstanceOfSatisfying(ShardKvException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.PRECONDITION_FAILED));
        assertThatThrownBy(() -> cluster.gateway().put("apple", "2", Precondition.ifMatch(7), ConsistencyToken.EMPTY))
                .isInstanceOfSatisfying(ShardKvException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.PRECONDITION_FAILED));
        WriteResult second = cluster.gateway().put("apple", "2", Precondition.ifMatch(1), ConsistencyToken.EMPTY);
        assertThat(second.item().version()).isEqualTo(2);
        assertThat(second.created()).isFalse();
        WriteResult deleted = cluster.gateway().delete("apple", Precondition.NONE, ConsistencyToken.EMPTY);
        assertThat(deleted.item().tombstone()).isTrue();
        assertThat(deleted.item().version()).isEqualTo(3);
        for (String replica : cluster.shardMap().shard("a-l").orElseThrow().replicas()) {
            assertThat(await(replica, "apple", 3).tombstone()).isTrue();
        }
        assertThatThrownBy(() -> cluster.gateway().delete("apple", Precondition.NONE, ConsistencyToken.EMPTY))
                .isInstanceOfSatisfying(ShardKvException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.NOT_FOUND));
        WriteResult again = cluster.gateway().put("apple", "3", Precondition.CREATE_ONLY, ConsistencyToken.EMPTY);
        assertThat(again.item().version()).as("versions never go back after a delete").isEqualTo(4);
        assertThat(again.created()).isTrue();
    }

    static StoredItem item(String table, String key) {
        Map<String, AttributeValue> item = cluster.dynamo().getItem(b -> b.tableName(table)
                .key(ItemAttributes.key(key)).consistentRead(true)).item();
        return ItemAttributes.fromItem(item);
    }

    static StoredItem await(String table, String key, long version) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            StoredItem item = item(table, key);
            if (item != null && item.version() >= version) {
                return item;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(key + " v" + version + " never reached " + table);
    }
}
