package dev.shardkv.core.store;

import dev.shardkv.core.verify.LastVerification;
import java.util.Collection;
import java.util.Map;

/**
 * Each replica's last verification, in the control table beside the shard map and the operations: one entry per
 * replica table, replaced by the next verification of that replica.
 */
public interface VerificationStore {
    /** Nothing kept, nothing found: for a gateway with no control table to read (unit tests). */
    VerificationStore NONE = new VerificationStore() {
        @Override
        public void record(LastVerification last) {
        }

        @Override
        public Map<String, LastVerification> last(Collection<String> replicaTables) {
            return Map.of();
        }

        @Override
        public void forget(String replicaTable) {
        }
    };

    /** Keeps it as the replica's last verification, over whatever was there. */
    void record(LastVerification last);

    /**
     * The last verification of each of these replica tables that has one, by table. Read by key, not by a scan: the
     * gateway asks every second, and the control table also holds every operation ever run.
     */
    Map<String, LastVerification> last(Collection<String> replicaTables);

    /** Drops the replica's last verification: its table starts anew (a reshard target whose id comes back). */
    void forget(String replicaTable);
}
