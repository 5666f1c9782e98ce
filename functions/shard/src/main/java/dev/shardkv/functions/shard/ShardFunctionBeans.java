package dev.shardkv.functions.shard;

import dev.shardkv.core.assembly.Assembly;
import dev.shardkv.core.replication.ReplicationListener;
import dev.shardkv.core.replication.Replicator;
import dev.shardkv.core.reshard.RemoteReshards;
import dev.shardkv.core.reshard.Resharder;
import dev.shardkv.core.shard.Coordinator;
import dev.shardkv.core.shard.Heartbeater;
import dev.shardkv.core.shard.ShardReader;
import dev.shardkv.core.shard.ShardWriter;
import dev.shardkv.core.store.OperationStore;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.core.verify.ReplicaVerifier;
import dev.shardkv.dynamodb.DynamoChangeFeed;
import dev.shardkv.dynamodb.DynamoClients;
import dev.shardkv.dynamodb.DynamoStores;
import dev.shardkv.dynamodb.ProvisionedHost;
import dev.shardkv.handlers.EmfReplicationMetrics;
import dev.shardkv.handlers.EmfVerificationMetrics;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Wires a shard function from its environment through the one {@link Assembly}: the topology (SHARDKV_TOPOLOGY),
 * the function's shard (SHARDKV_SHARD), a DynamoDB client. Only the handler this function runs is ever
 * instantiated, so a heartbeat function needs no shard and a reader never builds a writer.
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

    @ConfigProperty(name = "shardkv.resharder.margin")
    Duration resharderMargin;

    @ConfigProperty(name = "shardkv.resharder.run-for")
    Duration resharderRunFor;

    @ConfigProperty(name = "shardkv.resharder.replicas-wait")
    Duration resharderReplicasWait;

    @ConfigProperty(name = "shardkv.resharder.page-size")
    int resharderPageSize;

    @ConfigProperty(name = "shardkv.resharder.verify-segment-items")
    int verifySegmentItems;

    @ConfigProperty(name = "shardkv.resharder.verify-page-size")
    int verifyPageSize;

    @Produces
    @Singleton
    DynamoDbClient dynamo() {
        return DynamoClients.forFunction(dynamoEndpoint);
    }

    @Produces
    @Singleton
    Assembly assembly(DynamoDbClient dynamo) {
        return new Assembly(Topology.parse(topologyJson), new DynamoStores(dynamo),
                Clock.systemUTC(), new Assembly.Settings(ShardWriter.DEFAULT_TOMBSTONE_TTL, Assembly.Settings.DEFAULT_UNKNOWN_AFTER,
                        Assembly.Settings.DEFAULT_DELAY_WINDOW, null, Duration.ZERO));
    }

    @Produces
    @Singleton
    ShardWriter writer(Assembly assembly) {
        return assembly.writer(shardId());
    }

    @Produces
    @Singleton
    ShardReader reader(Assembly assembly) {
        return assembly.reader(shardId());
    }

    @Produces
    @Singleton
    Replicator replicator(Assembly assembly, ReplicationListener listener) {
        return assembly.replicator(shardId(), listener);
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
    Coordinator coordinator(Assembly assembly) {
        return assembly.coordinator();
    }

    @Produces
    @Singleton
    Heartbeater heartbeater(Assembly assembly) {
        return assembly.heartbeater();
    }

    @Produces
    @Singleton
    OperationStore operations(Assembly assembly) {
        return assembly.operations();
    }

    /**
     * The reshard engine of the resharder function, one per invocation: the shards are Terraform's (the
     * topology's staged ones), the sources' streams are read with the Streams API; each replica's verification
     * goes to CloudWatch as ReplicaDivergentItems (EMF), since no other process sees it end.
     */
    @Produces
    @Singleton
    Supplier<Resharder> resharders(Assembly assembly, DynamoDbClient dynamo,
            @ConfigProperty(name = "powertools.metrics.namespace", defaultValue = "ShardKV") String namespace) {
        DynamoDbStreamsClient streams = DynamoClients.streamsForFunction(dynamoEndpoint);
        Resharder.Settings settings = Resharder.Settings.DEFAULT.withReplicasWait(resharderReplicasWait)
                .withPageSize(resharderPageSize);
        return () -> new Resharder(assembly.topology(), new DynamoStores(dynamo), DynamoChangeFeed.source(dynamo, streams),
                new ProvisionedHost(dynamo), Clock.systemUTC(), settings, new EmfVerificationMetrics(namespace),
                ReplicaVerifier.Settings.DEFAULT.withItemsPerSegment(verifySegmentItems).withPageSize(verifyPageSize));
    }

    /**
     * The resharder's scheduled verifications are stored as the gateway stores operations, not launched: the
     * invocation holding the lease runs them. No wake: the invocation that stores one tries the lease next.
     */
    @Produces
    @Singleton
    RemoteReshards storedReshards(Assembly assembly) {
        return new RemoteReshards(assembly.topology(), assembly.control(), assembly.operations(), () -> { },
                Clock.systemUTC(), Duration.ofSeconds(10));
    }

    @Produces
    @Named("resharder-margin")
    Duration resharderMargin() {
        return resharderMargin;
    }

    @Produces
    @Named("resharder-run-for")
    Duration resharderRunFor() {
        return resharderRunFor;
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

    private String shardId() {
        return shard.orElseThrow(() -> new IllegalStateException(
                "SHARDKV_SHARD is not set: a writer, reader or replicator function serves one shard"));
    }
}
