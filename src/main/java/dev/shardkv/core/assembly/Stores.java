package dev.shardkv.core.assembly;

import dev.shardkv.core.store.ControlStore;
import dev.shardkv.core.store.LeaderStore;
import dev.shardkv.core.store.ReplicaStore;
import dev.shardkv.core.tx.TransactionStore;

/** Where the tables are: one implementation per backend (DynamoDB on AWS and DynamoDB Local; fakes in unit tests). */
public interface Stores {
    LeaderStore leader(String table);

    ReplicaStore replica(String table);

    ControlStore control(String table);

    TransactionStore transactions();
}
