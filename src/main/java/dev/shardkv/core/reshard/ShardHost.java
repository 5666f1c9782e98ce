package dev.shardkv.core.reshard;

import dev.shardkv.core.topology.ShardEntry;

/**
 * Where shards run, for a reshard: the embedded runtime starts and stops them in-process; on AWS the
 * tables and functions come from Terraform.
 */
public interface ShardHost {

    /**
     * Makes a target ready to be copied into: its tables exist and its stream feeds its replicas.
     *
     * @param fresh the operation starts now: whatever tables of that name are left (a retired shard
     *              whose id comes back, an aborted target) are emptied first; false when it resumes
     */
    void open(ShardEntry target, boolean fresh);

    /** Takes a shard out for good: an aborted or failed target, or a source once its grace has passed. */
    void drop(ShardEntry shard);

    /**
     * Makes a replica ready to be filled: its table exists and the shard's replicator feeds it from the
     * stream position it is at (everything committed from now on reaches the table).
     *
     * @param shard the shard with the new replica last
     * @param fresh the operation starts now: a table of that name (a replica removed before) is emptied first
     */
    void openReplica(ShardEntry shard, String table, boolean fresh);

    /**
     * Takes a replica out for good: the replicator stops feeding it and its table goes, where the host owns
     * tables (on AWS, Terraform removes it once the topology drops it).
     *
     * @param shard the shard without the replica
     */
    void dropReplica(ShardEntry shard, String table);
}
