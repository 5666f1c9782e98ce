package dev.shardkv.functions.gateway;

import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.protocol.ShardClient;
import dev.shardkv.core.replication.ReplicationTracker;
import dev.shardkv.core.topology.ShardMapSource;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.dynamodb.DynamoClients;
import dev.shardkv.dynamodb.DynamoControlStore;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** Wires the gateway from its environment: the topology, the shard map in the control table, Lambda invokes. */
@Singleton
public class GatewayBeans {

    @ConfigProperty(name = "shardkv.topology")
    String topologyJson;

    @ConfigProperty(name = "shardkv.function-qualifier")
    String qualifier;

    @ConfigProperty(name = "shardkv.watermark-refresh")
    Duration watermarkRefresh;

    @ConfigProperty(name = "shardkv.unknown-after")
    Duration unknownAfter;

    @ConfigProperty(name = "shardkv.write-throttle-lag-ms")
    long writeThrottleLagMs;

    @ConfigProperty(name = "shardkv.dynamodb.endpoint")
    Optional<URI> dynamoEndpoint;

    @Produces
    @Singleton
    Topology topology() {
        return Topology.parse(topologyJson);
    }

    @Produces
    @Singleton
    ShardClient shardClient(Topology topology) {
        return new LambdaShardClient(LambdaClient.builder().httpClient(UrlConnectionHttpClient.create()).build(),
                topology, qualifier);
    }

    @Produces
    @Singleton
    Gateway gateway(Topology topology, ShardClient shards) {
        ShardMapSource maps = ShardMapSource.load(
                new DynamoControlStore(DynamoClients.forFunction(dynamoEndpoint), topology.controlTable()), topology);
        // On AWS the replicators run elsewhere: the tracker learns watermarks from the readers.
        ReplicationTracker tracker = new ReplicationTracker(Clock.systemUTC(), unknownAfter, Duration.ofSeconds(60));
        return new Gateway(maps, shards, tracker, Clock.systemUTC(), watermarkRefresh,
                Duration.ofMillis(writeThrottleLagMs));
    }

    /** The gateway built here is closed here: its fan-out threads stop with the application. */
    void closeGateway(@Disposes Gateway gateway) {
        gateway.close();
    }
}
