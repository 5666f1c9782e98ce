package dev.shardkv.embedded;

import dev.shardkv.core.assembly.Stores;
import dev.shardkv.core.protocol.ShardClient;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Wrappers around what the embedded cluster builds, applied once when it starts: the stores its writers,
 * readers, replicators and coordinator work through, and the client its gateway reaches the shard functions
 * with. For cross-cutting behaviour (tracing, metrics, simulated outages) without touching the core;
 * {@link #NONE} wraps nothing.
 *
 * @param stores      given the cluster's stores, the stores its components use
 * @param shardClient given the in-process shard client, the client the gateway uses
 */
public record Decorators(UnaryOperator<Stores> stores, UnaryOperator<ShardClient> shardClient) {
    public static final Decorators NONE = new Decorators(UnaryOperator.identity(), UnaryOperator.identity());

    public Decorators {
        Objects.requireNonNull(stores, "stores");
        Objects.requireNonNull(shardClient, "shardClient");
    }

    public Decorators withStores(UnaryOperator<Stores> decorator) {
        return new Decorators(decorator, shardClient);
    }

    public Decorators withShardClient(UnaryOperator<ShardClient> decorator) {
        return new Decorators(stores, decorator);
    }
}
