package dev.shardkv.core.store;

import dev.shardkv.core.testing.MemoryOperations;
import dev.shardkv.core.testing.OperationStoreContract;

/** The fake keeps the contract the control table keeps, so tests on it say something about the real one. */
class MemoryOperationsTest extends OperationStoreContract {
    @Override
    protected OperationStore newStore() {
        return new MemoryOperations();
    }
}
