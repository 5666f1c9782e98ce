package dev.shardkv.functions.gateway;

import dev.shardkv.core.protocol.ShardClient;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/** In tests the gateway reaches the embedded cluster's handler classes instead of invoking Lambda. */
@Alternative
@Priority(1)
@Singleton
public class InProcessShards implements ShardClient {
    @Override
    public ShardResponse writer(String shard, ShardRequest request) {
        return EmbeddedShardsResource.cluster.shardClient().writer(shard, request);
    }

    @Override
    public ShardResponse reader(String shard, ShardRequest request) {
        return EmbeddedShardsResource.cluster.shardClient().reader(shard, request);
    }

    @Override
    public ShardResponse coordinator(ShardRequest request) {
        return EmbeddedShardsResource.cluster.shardClient().coordinator(request);
    }
}
