package dev.shardkv.core.reshard;

import dev.shardkv.core.topology.ShardEntry;

/**
 * Where shards run, for a reshard: the embedded runtime starts and stops them in-process; on AWS the
 * tables and functions come from Terraform.
 */
public interface ShardHost {

    /** Makes a target ready to be copied into: its tables exist and its stream feeds its replicas. */
    void open(ShardEntry target);

    /** Takes a shard out for good: an aborted or failed target, or a source once its grace has passed. */
    void drop(ShardEntry shard);
}
