package dev.shardkv.api;

import dev.shardkv.core.testing.FaultyReplicas;
import dev.shardkv.core.testing.SlowShards;
import dev.shardkv.embedded.Decorators;
import jakarta.inject.Singleton;

/**
 * The decorators of the cluster the API's tests run over (see EmbeddedApi): replica tables can be made to fail or fall behind, and
 * shard readers to answer late. The @QuarkusTests share one application, so everything passes through until
 * a test switches a fault on, and that test switches it off again (in finally).
 */
@Singleton
public class FaultInjection {
    private final FaultyReplicas replicas = new FaultyReplicas();
    private final SlowShards shards = new SlowShards();

    Decorators decorators() {
        return Decorators.NONE.withStores(replicas).withShardClient(shards);
    }

    public FaultyReplicas replicas() {
        return replicas;
    }

    public SlowShards shards() {
        return shards;
    }
}
