package dev.shardkv.core.testing;

import dev.shardkv.core.store.VerificationStore;
import dev.shardkv.core.verify.LastVerification;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Each replica's last verification in memory; counts the reads, so a test can see how often a cache asks. */
public final class MemoryVerifications implements VerificationStore {
    private final Map<String, LastVerification> last = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    @Override
    public void record(LastVerification verification) {
        last.put(verification.replica(), verification);
    }

    @Override
    public Map<String, LastVerification> last(Collection<String> replicaTables) {
        reads.incrementAndGet();
        Map<String, LastVerification> found = new TreeMap<>();
        for (String table : replicaTables) {
            LastVerification v = last.get(table);
            if (v != null) {
                found.put(table, v);
            }
        }
        return found;
    }

    @Override
    public void forget(String replicaTable) {
        last.remove(replicaTable);
    }

    /** How many times {@link #last} was called. */
    public int reads() {
        return reads.get();
    }
}
