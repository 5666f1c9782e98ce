package dev.shardkv.core.assembly;

import dev.shardkv.core.store.ControlStore;
import dev.shardkv.core.store.LeaderStore;
import dev.shardkv.core.store.OperationStore;
import dev.shardkv.core.store.ReplicaStore;
import dev.shardkv.core.store.VerificationStore;
import dev.shardkv.core.tx.TransactionStore;

/** Where the tables are: one implementation per backend (DynamoDB on AWS and DynamoDB Local; fakes in unit tests). */
public interface Stores {
    LeaderStore leader(String table);

    ReplicaStore replica(String table);

    ControlStore control(String table);

    /** The splits and merges, and their shard locks: in the control table, beside the shard map. */
    OperationStore operations(String controlTable);

    /** Each replica's last verification: in the control table too, for every process to read. */
    VerificationStore verifications(String controlTable);

    TransactionStore transactions();
}
