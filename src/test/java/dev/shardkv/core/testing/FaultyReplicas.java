package dev.shardkv.core.testing;

import dev.shardkv.core.assembly.Stores;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.ApplyResult;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.store.ControlStore;
import dev.shardkv.core.store.LeaderStore;
import dev.shardkv.core.store.OperationStore;
import dev.shardkv.core.store.ReplicaStore;
import dev.shardkv.core.store.VerificationStore;
import dev.shardkv.core.tx.TransactionStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Replica tables a test can make fail or fall behind: a decorator of the {@link Stores} (or of one
 * {@link ReplicaStore}) that runs a {@link Fault} before each apply request to a chosen replica table. It
 * passes everything through until a test injects a fault, and faults can be switched at any time, from
 * any thread; reads, watermarks and removals always pass through.
 */
public final class FaultyReplicas implements UnaryOperator<Stores> {

    /** Runs before a replica applies item images in one request: a chunk of the replicator's, or one item. */
    @FunctionalInterface
    public interface Fault {
        /** Throw to fail the whole request (nothing of it is applied); block to hold the replica back. */
        void beforeApply(List<StoredItem> items) throws Exception;
    }

    private final Map<String, Fault> faults = new ConcurrentHashMap<>();

    /** From now on, applies to this replica table run the fault first (it replaces the table's previous fault). */
    public void inject(String replicaTable, Fault fault) {
        faults.put(replicaTable, fault);
    }

    /** Every replica table applies normally again. */
    public void clear() {
        faults.clear();
    }

    @Override
    public Stores apply(Stores stores) {
        return new Stores() {
            @Override
            public LeaderStore leader(String table) {
                return stores.leader(table);
            }

            @Override
            public ReplicaStore replica(String table) {
                return decorate(stores.replica(table));
            }

            @Override
            public ControlStore control(String table) {
                return stores.control(table);
            }

            @Override
            public OperationStore operations(String controlTable) {
                return stores.operations(controlTable);
            }

            @Override
            public VerificationStore verifications(String controlTable) {
                return stores.verifications(controlTable);
            }

            @Override
            public TransactionStore transactions() {
                return stores.transactions();
            }
        };
    }

    /** The store, subject to the faults injected for its table. */
    public ReplicaStore decorate(ReplicaStore store) {
        return new Faulty(store);
    }

    private void before(String table, List<StoredItem> items) {
        Fault fault = faults.get(table);
        if (fault == null) {
            return;
        }
        try {
            fault.beforeApply(items);
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while held back", e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private final class Faulty implements ReplicaStore {
        private final ReplicaStore store;

        Faulty(ReplicaStore store) {
            this.store = store;
        }

        @Override
        public ApplyResult apply(StoredItem item) {
            before(store.table(), List.of(item));
            return store.apply(item);
        }

        @Override
        public Map<String, ApplyResult> applyAll(List<StoredItem> items) {
            before(store.table(), items);
            return store.applyAll(items);
        }

        @Override
        public ApplyResult remove(String key, Long removedVersion) {
            return store.remove(key, removedVersion);
        }

        @Override
        public boolean replace(String key, Long expectedVersion, StoredItem item) {
            return store.replace(key, expectedVersion, item);
        }

        @Override
        public Optional<StoredItem> get(String key) {
            return store.get(key);
        }

        @Override
        public List<StoredItem> getAll(List<String> keys) {
            return store.getAll(keys);
        }

        @Override
        public List<StoredItem> getAllConsistent(List<String> keys) {
            return store.getAllConsistent(keys);
        }

        @Override
        public Optional<Watermark> watermark() {
            return store.watermark();
        }

        @Override
        public void saveWatermark(Watermark watermark) {
            store.saveWatermark(watermark);
        }

        @Override
        public String table() {
            return store.table();
        }

        @Override
        public ScanPage scanLive(String prefix, String exclusiveStartKey, int pageSize, boolean consistent) {
            return store.scanLive(prefix, exclusiveStartKey, pageSize, consistent);
        }

        @Override
        public CountPage countLive(String prefix, String exclusiveStartKey, int pageSize, boolean consistent) {
            return store.countLive(prefix, exclusiveStartKey, pageSize, consistent);
        }

        @Override
        public VersionPage scanVersions(int segment, int segments, String exclusiveStartKey, int pageSize, boolean consistent) {
            return store.scanVersions(segment, segments, exclusiveStartKey, pageSize, consistent);
        }
    }
}
