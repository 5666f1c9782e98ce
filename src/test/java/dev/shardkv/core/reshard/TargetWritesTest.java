package dev.shardkv.core.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.ApplyResult;
import dev.shardkv.core.replication.ApplyRule;
import dev.shardkv.core.testing.MemoryReplica;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;

/**
 * The copy and the catch-up write one target at once. Its batch apply, as DynamoDB's, reads the versions
 * held and then writes blindly; without the lock, a copy page read before a catch-up batch would write an
 * older version over the catch-up's newer one.
 */
class TargetWritesTest {

    /** Applies a batch as DynamoReplicaStore does: read the versions, then put without a condition. */
    static final class ReadThenWrite extends MemoryReplica {
        final CountDownLatch read = new CountDownLatch(1);
        volatile boolean slow = true;

        ReadThenWrite() {
            super("t-a-f-leader");
        }

        @Override
        public Map<String, ApplyResult> applyAll(List<StoredItem> items) {
            Map<String, Long> held = new LinkedHashMap<>();
            items.forEach(i -> get(i.key()).ifPresent(h -> held.put(i.key(), h.version())));
            if (slow) {
                slow = false;
                read.countDown();
                pause(200); // the other writer goes meanwhile, if it may
            }
            Map<String, ApplyResult> results = new LinkedHashMap<>();
            for (StoredItem item : items) {
                if (ApplyRule.accepts(held.get(item.key()), item.version())) {
                    seed(item);
                }
                results.put(item.key(), ApplyResult.APPLIED);
            }
            return results;
        }
    }

    @Test
    void aCopyPageAndACatchUpBatchNeverInterleaveOnATarget() throws Exception {
        ReadThenWrite target = new ReadThenWrite();
        ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        TargetWrites copy = new TargetWrites(target, lock.readLock());
        TargetWrites catchUp = new TargetWrites(target, lock.writeLock());

        Thread page = Thread.ofVirtual().start(() -> copy.applyAll(List.of(StoredItem.live("alpha", "copied", 3, 1_000))));
        target.read.await();
        catchUp.applyAll(List.of(StoredItem.live("alpha", "newer", 4, 2_000)));
        page.join();

        assertThat(target.get("alpha").orElseThrow().version()).as("the newer version stays").isEqualTo(4);
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
