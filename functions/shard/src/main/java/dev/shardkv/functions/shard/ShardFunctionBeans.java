package dev.shardkv.functions.shard;

import dev.shardkv.core.replication.ReplicationListener;
import dev.shardkv.core.replication.Replicator;
import dev.shardkv.core.shard.Heartbeater;
import dev.shardkv.core.shard.ShardReader;
import dev.shardkv.core.shard.ShardWriter;
import dev.shardkv.core.store.LeaderStore;
import dev.shardkv.core.store.ReplicaStore;
import dev.shardkv.core.topology.ShardMapSource;
import dev.shardkv.core.topology.ShardSpec;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.dynamodb.DynamoClients;
import dev.shardkv.dynamodb.DynamoControlStore;
import dev.shardkv.dynamodb.DynamoLeaderStore;
import dev.shardkv.dynamodb.DynamoReplicaStore;
import dev.shardkv.dynamodb.DynamoTransactionStore;
import dev.shardkv.core.shard.Coordinator;
import dev.shardkv.handlers.EmfReplicationMetrics;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Wires the core for a shard function from its environment: the topology (SHARDKV_TOPOLOGY), the
 * function's shard (SHARDKV_SHARD), and a DynamoDB client. Only the handler this function runs is
 * ever instantiated, so a heartbeat function needs no shard and a reader never builds a writer.
 */
@Singleton
public class ShardFunctionBeans {

    @ConfigProperty(name = "shardkv.topology")
    String topologyJson;

    @ConfigProperty(name = "shardkv.shard")
    Optional<String> shard;

    @ConfigProperty(name = "shardkv.dynamodb.endpoint")
    Optional<URI> dynamoEndpoint;

    @ConfigProperty(name = "shardkv.heartbeat.interval")
    Duration heartbeatInterval;

    @ConfigProperty(name = "shardkv.heartbeat.run-for")
    Duration heartbeatRunFor;

    @Produces
    @Singleton
    Topology topology() {
        return Topology.parse(topologyJson);
    }

    @Produces
    @Singleton
    DynamoDbClient dynamo() {
        return DynamoClients.forFunction(dynamoEndpoint);
    }

    @Produces
    @Singleton
    ShardWriter writer(Topology topology, DynamoDbClient dynamo) {
        String id = shardId(topology);
        ShardMapSource maps = ShardMapSource.load(new DynamoControlStore(dynamo, topology.controlTable()), topology);
        return new ShardWriter(id, maps, new DynamoLeaderStore(dynamo, topology.leaderTable(id)), Clock.systemUTC(),
                ShardWriter.DEFAULT_TOMBSTONE_TTL, new DynamoTransactionStore(dynamo));
    }

    @Produces
    @Singleton
    ShardReader reader(Topology topology, DynamoDbClient dynamo) {
        String id = shardId(topology);
        return new ShardReader(id, replicas(topology, dynamo, id), Clock.systemUTC());
    }

    @Produces
    @Singleton
    Replicator replicator(Topology topology, DynamoDbClient dynamo, ReplicationListener listener) {
        String id = shardId(topology);
        return new Replicator(id, replicas(topology, dynamo, id), Clock.systemUTC(), listener);
    }

    /** Replication metrics to CloudWatch in Embedded Metric Format (POWERTOOLS_METRICS_NAMESPACE, default ShardKV). */
    @Produces
    @Singleton
    ReplicationListener replicationListener(
            @ConfigProperty(name = "powertools.metrics.namespace", defaultValue = "ShardKV") String namespace) {
        return new EmfReplicationMetrics(namespace);
    }

    @Produces
    @Singleton
    Coordinator coordinator(Topology topology, DynamoDbClient dynamo) {
        ShardMapSource maps = ShardMapSource.load(new DynamoControlStore(dynamo, topology.controlTable()), topology);
        return new Coordinator(maps, new DynamoTransactionStore(dynamo), Clock.systemUTC(), ShardWriter.DEFAULT_TOMBSTONE_TTL);
    }

    @Produces
    @Singleton
    Heartbeater heartbeater(Topology topology, DynamoDbClient dynamo) {
        Map<String, LeaderStore> leaders = new LinkedHashMap<>();
        for (ShardSpec s : topology.shards()) {
            leaders.put(s.id(), new DynamoLeaderStore(dynamo, topology.leaderTable(s.id())));
        }
        return new Heartbeater(leaders, Clock.systemUTC());
    }

    @Produces
    @Named("heartbeat-interval")
    Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    @Produces
    @Named("heartbeat-run-for")
    Duration heartbeatRunFor() {
        return heartbeatRunFor;
    }

    private String shardId(Topology topology) {
        String id = shard.orElseThrow(() -> new IllegalStateException(
                "SHARDKV_SHARD is not set: a writer, reader or replicator function serves one shard"));
        topology.shard(id); // fails clearly for a shard the topology does not have
        return id;
    }

    private static List<ReplicaStore> replicas(Topology topology, DynamoDbClient dynamo, String shard) {
        return topology.replicaTables(shard).stream()
                .map(table -> (ReplicaStore) new DynamoReplicaStore(dynamo, table)).toList();
    }
}
