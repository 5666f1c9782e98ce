package dev.shardkv.core.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.testing.MemoryLeader;
import dev.shardkv.core.testing.MemoryReplica;
import dev.shardkv.core.topology.RoutingMode;
import dev.shardkv.core.topology.ShardEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The copy phase: a-l into a-f and g-l, every item to the range that holds it, versions and tombstones kept. */
class CopierTest {
    final MemoryLeader source = new MemoryLeader("t-a-l-leader");
    final MemoryReplica left = new MemoryReplica("t-a-f-leader");
    final MemoryReplica right = new MemoryReplica("t-g-l-leader");
    final List<Copier.Target> targets = List.of(
            new Copier.Target(new ShardEntry("a-f", null, "g", "t-a-f-leader", List.of()), left),
            new Copier.Target(new ShardEntry("g-l", "g", "m", "t-g-l-leader", List.of()), right));

    CopierTest() {
        for (int i = 0; i < 200; i++) {
            String key = (char) ('a' + i % 12) + "-key-" + i;
            source.seed(StoredItem.live(key, "{\"n\":" + i + "}", 1 + i % 5, 1_000 + i));
        }
        source.seed(StoredItem.tombstone("bravo-gone", 7, 2_000, 9_999));
        source.seed(StoredItem.live(Keys.HEARTBEAT_KEY, "{}", 40, 3_000));
    }

    @Test
    void everyItemLandsOnTheTargetWhoseRangeHoldsItWithItsVersionAndTombstonesToo() {
        AtomicInteger copied = new AtomicInteger();
        Map<Integer, String> cursors = new Copier(source, RoutingMode.RANGE, targets, 4, 7)
                .copy(Map.of(), (segment, cursor, n) -> copied.addAndGet(n));
        assertThat(cursors).hasSize(4).allSatisfy((segment, cursor) -> assertThat(cursor).isEqualTo(Copier.DONE));
        assertThat(copied).hasValue(201);
        for (int i = 0; i < 200; i++) {
            String key = (char) ('a' + i % 12) + "-key-" + i;
            MemoryReplica owner = key.charAt(0) < 'g' ? left : right;
            MemoryReplica other = owner == left ? right : left;
            assertThat(owner.get(key)).as(key).contains(source.get(key).orElseThrow());
            assertThat(other.get(key)).as(key + " on the other half").isEmpty();
        }
        assertThat(left.get("bravo-gone").orElseThrow().tombstone()).as("a delete's version is kept").isTrue();
        assertThat(left.get(Keys.HEARTBEAT_KEY)).as("reserved items stay behind").isEmpty();
    }

    @Test
    void aStoppedCopyGoesOnFromItsCursorsAndNeverTakesAKeyBack() {
        Map<Integer, String> saved = new ConcurrentHashMap<>();
        AtomicInteger pages = new AtomicInteger();
        Copier copier = new Copier(source, RoutingMode.RANGE, targets, 3, 5);
        assertThatThrownBy(() -> copier.copy(Map.of(), (segment, cursor, n) -> {
            saved.put(segment, cursor);
            if (pages.incrementAndGet() == 10) {
                throw new IllegalStateException("the runtime stops");
            }
        })).hasMessageContaining("the runtime stops");
        right.apply(StoredItem.live("h-key-7", "{\"newer\":true}", 99, 9_000)); // the catch-up got there first

        Map<Integer, String> cursors = copier.copy(new HashMap<>(saved), (segment, cursor, n) -> { });
        assertThat(cursors.values()).containsOnly(Copier.DONE);
        assertThat(left.scanLive(null, null, 1_000, true).items().size() + right.scanLive(null, null, 1_000, true).items().size())
                .isEqualTo(200);
        assertThat(right.get("h-key-7").orElseThrow().version()).isEqualTo(99);
    }

    /**
     * A table another process writes at the same time (an added replica, which its replicator feeds): a batch
     * reads the versions held, then writes blind, so a newer write landing in between would be overwritten by
     * the copy's older image. Such a target gets one conditional write per item instead.
     */
    @Test
    void aSharedTargetIsWrittenItemByItemUnderTheConditionSoANewerWriteStays() {
        String key = "c-key-2";
        StoredItem copied = source.get(key).orElseThrow();
        StoredItem newer = StoredItem.live(key, "\"newer\"", copied.version() + 1, 9_000);
        MemoryReplica replica = new MemoryReplica("t-a-l-replica-3") {
            @Override // as DynamoReplicaStore batches: versions read, then written without a condition
            public Map<String, dev.shardkv.core.replication.ApplyResult> applyAll(List<StoredItem> items) {
                Map<String, Long> held = new HashMap<>();
                items.forEach(i -> get(i.key()).ifPresent(h -> held.put(i.key(), h.version())));
                if (items.stream().anyMatch(i -> i.key().equals(key))) {
                    apply(newer); // the replicator applies the newer record in between
                }
                Map<String, dev.shardkv.core.replication.ApplyResult> results = new HashMap<>();
                for (StoredItem item : items) {
                    if (held.get(item.key()) == null || held.get(item.key()) < item.version()) {
                        seed(item);
                    }
                    results.put(item.key(), dev.shardkv.core.replication.ApplyResult.APPLIED);
                }
                return results;
            }

            @Override
            public synchronized dev.shardkv.core.replication.ApplyResult apply(StoredItem item) {
                if (item.key().equals(key) && item.version() == copied.version() && get(key).isEmpty()) {
                    super.apply(newer); // the same race, met by the condition
                }
                return super.apply(item);
            }
        };
        ShardEntry shard = new ShardEntry("a-l", null, "m", "t-a-l-leader", List.of("t-a-l-replica-3"));

        new Copier(source, RoutingMode.RANGE, List.of(new Copier.Target(shard, replica, true)), 4, 7)
                .copy(Map.of(), (segment, cursor, n) -> { });

        assertThat(replica.get(key)).contains(newer);
        assertThat(replica.get("a-key-0")).as("the rest copied").contains(source.get("a-key-0").orElseThrow());
    }
}
