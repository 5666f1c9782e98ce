package dev.shardkv.functions.gateway;

import dev.shardkv.core.assembly.Assembly;
import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.protocol.ShardClient;
import dev.shardkv.core.reshard.RemoteReshards;
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

    @ConfigProperty(name = "shardkv.admin.abort-wait")
    Duration abortWait;

    @ConfigProperty(name = "shardkv.dynamodb.endpoint")
    Optional<URI> dynamoEndpoint;

    @Produces
    @Singleton
    Topology topology() {
        return Topology.parse(topologyJson);
    }

    @Produces
    @Singleton
    LambdaClient lambda() {
        return LambdaClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Produces
    @Singleton
    ShardClient shardClient(Topology topology, LambdaClient lambda) {
        return new LambdaShardClient(lambda, topology, qualifier);
    }

    @Produces
    @Singleton
    Assembly assembly(Topology topology) {
        // On AWS the replicators run elsewhere: the gateway learns the watermarks from the readers.
        return new Assembly(topology, new DynamoStores(DynamoClients.forFunction(dynamoEndpoint)),
                Clock.systemUTC(), new Assembly.Settings(ShardWriter.DEFAULT_TOMBSTONE_TTL, unknownAfter, delayWindow,
                        watermarkRefresh, Duration.ofMillis(writeThrottleLagMs)));
    }

    @Produces
    @Singleton
    Gateway gateway(Assembly assembly, ShardClient shards) {
        return assembly.gateway(shards);
    }

    /**
     * Splits and merges run in the resharder function: the admin routes (reserved for administrators by
     * Terraform's admin_routes) plan and store an operation here and wake it with an asynchronous invoke.
     */
    @Produces
    @Singleton
    Reshards reshards(Assembly assembly, ResharderWake wake) {
        return new RemoteReshards(assembly.topology(), assembly.control(), assembly.operations(), wake,
                Clock.systemUTC(), abortWait);
    }

    /** The gateway built here is closed here: its fan-out threads stop with the application. */
    void closeGateway(@Disposes Gateway gateway) {
        gateway.close();
    }
}
