package dev.shardkv.dynamodb;

import dev.shardkv.core.assembly.Stores;
import dev.shardkv.core.store.ControlStore;
import dev.shardkv.core.store.LeaderStore;
import dev.shardkv.core.store.OperationStore;
import dev.shardkv.core.store.ReplicaStore;
import dev.shardkv.core.store.VerificationStore;
import dev.shardkv.core.tx.TransactionStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The tables in DynamoDB (on AWS, or DynamoDB Local), all through one client. */
public final class DynamoStores implements Stores {
    private final DynamoDbClient dynamo;

    public DynamoStores(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    @Override
    public LeaderStore leader(String table) {
        return new DynamoLeaderStore(dynamo, table);
    }

    @Override
    public ReplicaStore replica(String table) {
        return new DynamoReplicaStore(dynamo, table);
    }

    @Override
    public ControlStore control(String table) {
        return new DynamoControlStore(dynamo, table);
    }

    @Override
    public OperationStore operations(String controlTable) {
        return new DynamoOperationStore(dynamo, controlTable);
    }

    @Override
    public VerificationStore verifications(String controlTable) {
        return new DynamoVerificationStore(dynamo, controlTable);
    }

    @Override
    public TransactionStore transactions() {
        return new DynamoTransactionStore(dynamo);
    }
}
