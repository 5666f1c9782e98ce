package dev.shardkv.functions.gateway;

import dev.shardkv.core.topology.Topology;
import dev.shardkv.embedded.EmbeddedCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The shards the gateway under test talks to: an embedded cluster whose DynamoDB Local listens on
 * 127.0.0.1, so the gateway reads the shard map from the control table over HTTP as on AWS, and
 * whose writer and reader functions are called in-process instead of through a Lambda invoke.
 */
public class EmbeddedShardsResource implements QuarkusTestResourceLifecycleManager {
    static EmbeddedCluster cluster;

    @Override
    public Map<String, String> start() {
        Topology topology = Topology.fromClasspath("topology-test.json");
        cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(topology).withDynamoDbPort(0));
        return Map.of("shardkv.topology", topology.toJson(),
                "shardkv.dynamodb.endpoint", cluster.dynamoDbEndpoint().toString(),
                "shardkv.admin.abort-wait", "500ms");
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
