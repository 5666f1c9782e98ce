package dev.shardkv.functions.shard;

import dev.shardkv.core.topology.Topology;
import dev.shardkv.dynamodb.TableProvisioner;
import dev.shardkv.embedded.DynamoDbLocal;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local over HTTP on 127.0.0.1 with the test topology's tables, for the Lambda handlers
 * under test: they reach it through {@code shardkv.dynamodb.endpoint}, as they would an emulator.
 */
public class DynamoDbLocalResource implements QuarkusTestResourceLifecycleManager {
    static final Topology TOPOLOGY = Topology.fromClasspath("topology-test.json");
    static DynamoDbLocal local;

    @Override
    public Map<String, String> start() {
        local = DynamoDbLocal.http(0, null);
        new TableProvisioner(local.dynamo()).provision(TOPOLOGY);
        return Map.of(
                "shardkv.topology", TOPOLOGY.toJson(),
                "shardkv.shard", "a-l",
                "shardkv.dynamodb.endpoint", local.endpoint().toString());
    }

    @Override
    public void stop() {
        if (local != null) {
            local.close();
        }
    }

    static DynamoDbClient dynamo() {
        return local.dynamo();
    }
}
