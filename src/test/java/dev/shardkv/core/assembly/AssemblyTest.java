package dev.shardkv.core.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.shard.ShardWriter;
import dev.shardkv.core.store.ControlStore;
import dev.shardkv.core.store.LeaderStore;
import dev.shardkv.core.store.OperationStore;
import dev.shardkv.core.store.ReplicaStore;
import dev.shardkv.core.store.VerificationStore;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.core.tx.TransactionStore;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AssemblyTest {
    static final Topology TOPOLOGY = Topology.parse("""
            {"prefix":"kv","routing":"range","shards":[{"id":"a-l","end":"m","replicas":2},{"id":"m-z","start":"m","replicas":1}]}""");

    /** Records which tables were asked for; the stores it hands out answer nothing (the assembly only wires). */
    static final class RecordingStores implements Stores {
        final List<String> asked = new ArrayList<>();

        @Override
        public LeaderStore leader(String table) {
            asked.add("leader " + table);
            return inert(LeaderStore.class);
        }

        @Override
        public ReplicaStore replica(String table) {
            asked.add("replica " + table);
            return inert(ReplicaStore.class);
        }

        @Override
        public ControlStore control(String table) {
            asked.add("control " + table);
            return inert(ControlStore.class);
        }

        @Override
        public OperationStore operations(String controlTable) {
            asked.add("operations " + controlTable);
            return inert(OperationStore.class);
        }

        @Override
        public VerificationStore verifications(String controlTable) {
            asked.add("verifications " + controlTable);
            return VerificationStore.NONE;
        }

        @Override
        public TransactionStore transactions() {
            return inert(TransactionStore.class);
        }

        @SuppressWarnings("unchecked")
        static <T> T inert(Class<T> type) {
            return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                    (proxy, method, args) -> method.getReturnType() == Optional.class ? Optional.empty() : null);
        }
    }

    final RecordingStores stores = new RecordingStores();
    final Assembly assembly = new Assembly(TOPOLOGY, stores, Clock.systemUTC(), new Assembly.Settings(
            ShardWriter.DEFAULT_TOMBSTONE_TTL, Duration.ofSeconds(5), Duration.ofSeconds(60), null, Duration.ZERO));

    @Test
    void tableNamesComeFromTheTopologyOnce() {
        assembly.reader("a-l");
        assembly.replicator("m-z", dev.shardkv.core.replication.ReplicationListener.NONE);
        assembly.heartbeater();
        assertThat(stores.asked).containsExactly("replica kv-a-l-replica-1", "replica kv-a-l-replica-2",
                "replica kv-m-z-replica-1", "leader kv-a-l-leader", "leader kv-m-z-leader");
    }

    @Test
    void theHeartbeatCoversStagedShards() {
        Topology staged = Topology.parse("""
                {"prefix":"kv","shards":[{"id":"all","replicas":1}],"staged":[{"id":"a-l","replicas":2},{"id":"m-z","replicas":1}]}""");
        new Assembly(staged, stores, Clock.systemUTC(), new Assembly.Settings(ShardWriter.DEFAULT_TOMBSTONE_TTL,
                Duration.ofSeconds(5), Duration.ofSeconds(60), null, Duration.ZERO)).heartbeater();
        assertThat(stores.asked).containsExactly("leader kv-all-leader", "leader kv-a-l-leader", "leader kv-m-z-leader");
    }

    @Test
    void operationsAreKeptInTheControlTable() {
        assembly.operations();
        assertThat(stores.asked).containsExactly("operations kv-control");
    }

    @Test
    void lastVerificationsAreKeptInTheControlTable() {
        assembly.verifications();
        assertThat(stores.asked).containsExactly("verifications kv-control");
    }

    @Test
    void aShardTheTopologyDoesNotHaveIsRefused() {
        assertThatThrownBy(() -> assembly.reader("n-z")).isInstanceOf(IllegalArgumentException.class);
        assertThat(stores.asked).isEmpty();
    }
}
