package dev.shardkv.core.reshard;

import java.util.List;

/**
 * Splits, merges and verifications, as the admin API sees them: started, watched, aborted. An operation runs in the
 * background after it is started; its state, progress and ETA are read with {@link #get}.
 */
public interface Reshards {

    /** Plans and starts a split; refused with a 4xx problem (unknown shard, bad point, shard locked). */
    Operation split(SplitRequest request);

    /** Plans and starts a merge of adjacent shards. */
    Operation merge(MergeRequest request);

    /**
     * Starts comparing the replicas of one shard, or of every shard, with their leaders (repairing what
     * differs if asked); 404 unknown-shard, 409 operation-conflict while another operation holds a shard.
     */
    Operation verify(VerifyRequest request);

    /**
     * Starts adding a replica to a shard: filled from the leader and its stream, served only once caught up.
     * 404 unknown-shard, 400 invalid-reshard at the most replicas, 409 operation-conflict while the shard is held.
     */
    Operation addReplica(String shard);

    /**
     * Starts removing a shard's last replica: reads stop, then its table goes. 404 unknown-replica for a number
     * the shard does not have, 400 invalid-reshard for one before the last or the only one.
     */
    Operation removeReplica(String shard, int replica);

    /** 404 unknown-operation when there is no such operation. */
    Operation get(String id);

    /** The newest first, at most 100. */
    List<Operation> list();

    /** Aborts before the cutover (map unchanged, targets dropped); 409 operation-state after it. */
    Operation abort(String id);
}
