package dev.shardkv.core.protocol;

/**
 * How the gateway reaches a shard's functions: a Lambda invoke on AWS, an in-process call to the
 * same handler classes in the embedded runtime.
 */
public interface ShardClient {

    ShardResponse writer(String shard, ShardRequest request);

    ShardResponse reader(String shard, ShardRequest request);

    /** The coordinator: transactions and consistent snapshots that span shards. */
    ShardResponse coordinator(ShardRequest request);
}
