package dev.shardkv.functions.gateway;

import dev.shardkv.api.DeferredReshards;
import dev.shardkv.core.assembly.Assembly;
import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.protocol.ShardClient;
import dev.shardkv.core.reshard.Reshards;
import dev.shardkv.core.shard.ShardWriter;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.dynamodb.DynamoClients;
import dev.shardkv.dynamodb.DynamoStores;
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

/** Wires the gateway from its environment through the one {@link Assembly}, reaching the shards by Lambda invokes. */
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

    @ConfigProperty(name = "shardkv.delay-window")
    Duration delayWindow;

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
        // On AWS the replicators run elsewhere: the gateway learns the watermarks from the readers.
        Assembly assembly = new Assembly(topology, new DynamoStores(DynamoClients.forFunction(dynamoEndpoint)),
                Clock.systemUTC(), new Assembly.Settings(ShardWriter.DEFAULT_TOMBSTONE_TTL, unknownAfter, delayWindow,
                        watermarkRefresh, Duration.ofMillis(writeThrottleLagMs)));
        return assembly.gateway(shards);
    }

    /**
     * Splits and merges do not run on AWS yet: the admin routes (reserved for administrators by Terraform's
     * admin_routes) answer 503 rather than the gateway failing to deploy for want of the engine.
     */
    @Produces
    @Singleton
    Reshards reshards() {
        return DeferredReshards.none("Splits and merges are not available on this deployment yet: the AWS gateway"
                + " runs no reshard engine.");
    }

    /** The gateway built here is closed here: its fan-out threads stop with the application. */
    void closeGateway(@Disposes Gateway gateway) {
        gateway.close();
    }
}
