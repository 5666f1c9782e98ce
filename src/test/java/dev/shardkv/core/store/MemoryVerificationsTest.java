package dev.shardkv.core.store;

import dev.shardkv.core.testing.MemoryVerifications;
import dev.shardkv.core.testing.VerificationStoreContract;

/** The fake keeps the contract the control table keeps, so tests on it say something about the real one. */
class MemoryVerificationsTest extends VerificationStoreContract {
    @Override
    protected VerificationStore newStore() {
        return new MemoryVerifications();
    }
}
