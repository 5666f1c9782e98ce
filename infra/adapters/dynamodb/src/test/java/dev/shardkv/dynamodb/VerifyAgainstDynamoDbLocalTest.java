package dev.shardkv.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.kv.ItemVersion;
import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.store.Fence;
import dev.shardkv.core.store.VersionScannable;
import dev.shardkv.core.verify.ReplicaVerifier;
import dev.shardkv.core.verify.VerifyReport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

/**
 * What a verification needs of the tables, on DynamoDB Local: a version scan of every client item (keys and
 * versions, no reserved key), a replace conditioned on exactly the state found, and one key in the same
 * segment of a parallel scan on two tables, whatever else they hold and in whatever order it was written.
 */
class VerifyAgainstDynamoDbLocalTest {
    static final AtomicInteger TABLES = new AtomicInteger();
    static AmazonDynamoDBLocal local;
    static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        local = DynamoDBEmbedded.create(null, true);
        dynamo = local.dynamoDbClient();
    }

    @AfterAll
    static void stop() {
        local.shutdownNow();
    }

    static String table(String kind, boolean stream) {
        String table = "verify-" + TABLES.incrementAndGet() + "-" + kind;
        new TableProvisioner(dynamo).create(table, stream);
        return table;
    }

    static List<ItemVersion> scanAll(VersionScannable table, int segments, int pageSize, boolean consistent) {
        List<ItemVersion> all = new ArrayList<>();
        for (int segment = 0; segment < segments; segment++) {
            all.addAll(segment(table, segment, segments, pageSize, consistent));
        }
        return all;
    }

    static List<ItemVersion> segment(VersionScannable table, int segment, int segments, int pageSize, boolean consistent) {
        List<ItemVersion> seen = new ArrayList<>();
        String cursor = null;
        do {
            VersionScannable.VersionPage page = table.scanVersions(segment, segments, cursor, pageSize, consistent);
            seen.addAll(page.versions());
            cursor = page.lastEvaluatedKey();
        } while (cursor != null);
        return seen;
    }

    @Test
    void aVersionScanReadsEveryClientItemsKeyAndVersionTombstonesIncludedAndNoReservedOne() {
        DynamoLeaderStore leader = new DynamoLeaderStore(dynamo, table("leader", true));
        DynamoReplicaStore replica = new DynamoReplicaStore(dynamo, table("replica-1", false));
        Map<String, ItemVersion> expected = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            leader.put("v-" + i, "{\"big\":\"" + "x".repeat(200) + "\"}", 100 + i, Precondition.NONE);
            expected.put("v-" + i, new ItemVersion("v-" + i, 1, 100 + i, false, null));
        }
        leader.put("v-3", "2", 500, Precondition.NONE);
        leader.delete("v-3", 600, 9_999, Precondition.NONE);
        expected.put("v-3", new ItemVersion("v-3", 3, 600, true, 9_999L));
        Fence.freeze(leader, "op-x", 700);
        leader.put(Keys.HEARTBEAT_KEY, "1", 800, Precondition.NONE);
        expected.values().forEach(v -> replica.apply(new StoredItem(v.key(), v.tombstone() ? null : "1", v.version(), v.ts(),
                v.tombstone(), v.expiresAt())));
        replica.saveWatermark(new Watermark(800, "seq", 900));

        assertThat(scanAll(leader, 4, 7, true)).containsExactlyInAnyOrderElementsOf(expected.values());
        assertThat(scanAll(replica, 3, 1000, false)).containsExactlyInAnyOrderElementsOf(expected.values());
    }

    @Test
    void aReplaceWritesOnlyOverExactlyTheStateFound() {
        DynamoReplicaStore replica = new DynamoReplicaStore(dynamo, table("replica-1", false));
        StoredItem leaderItem = StoredItem.live("r-1", "\"leader\"", 3, 1_000);
        StoredItem tombstone = StoredItem.tombstone("r-2", 4, 1_000, 99_999);

        assertThat(replica.replace("r-1", 1L, leaderItem)).as("expects v1, finds nothing").isFalse();
        assertThat(replica.get("r-1")).isEmpty();
        assertThat(replica.replace("r-1", null, leaderItem)).as("absent, as found").isTrue();
        assertThat(replica.get("r-1")).contains(leaderItem);
        assertThat(replica.replace("r-1", null, StoredItem.live("r-1", "\"x\"", 9, 2_000))).as("no longer absent").isFalse();

        replica.apply(StoredItem.live("r-2", "\"forged\"", 70, 1_000));
        assertThat(replica.replace("r-2", 69L, tombstone)).isFalse();
        assertThat(replica.replace("r-2", 70L, tombstone)).as("a forged higher version goes back to the leader's").isTrue();
        assertThat(replica.get("r-2")).contains(tombstone);

        assertThat(replica.replace("r-1", 2L, null)).as("removal expecting another version").isFalse();
        assertThat(replica.get("r-1")).contains(leaderItem);
        assertThat(replica.replace("r-1", 3L, null)).isTrue();
        assertThat(replica.get("r-1")).isEmpty();
        assertThat(replica.replace("r-1", 3L, null)).as("nothing left to remove").isFalse();
    }

    @Test
    void aKeyFallsInTheSameSegmentOnTwoTablesWhateverElseTheyHoldAndWhateverTheOrderOfWrites() {
        DynamoLeaderStore leader = new DynamoLeaderStore(dynamo, table("leader", true));
        DynamoReplicaStore replica = new DynamoReplicaStore(dynamo, table("replica-1", false));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            keys.add((i % 5 == 0 ? "É-" : i % 7 == 0 ? "{~}" : "s-") + i + "-" + Integer.toHexString(i * 7919));
        }
        keys.forEach(key -> leader.put(key, "1", 1, Precondition.NONE));
        List<String> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, new Random(12));
        shuffled.forEach(key -> replica.apply(StoredItem.live(key, "1", 1, 1)));
        for (int i = 0; i < 400; i++) {
            replica.apply(StoredItem.live("only-on-the-replica-" + i, "1", 1, 1));
        }

        for (int segments : List.of(2, 3, 4, 16, 50)) {
            Map<String, Integer> onLeader = segmentOf(leader, segments);
            Map<String, Integer> onReplica = segmentOf(replica, segments);
            for (String key : keys) {
                assertThat(onReplica.get(key)).as(key + " of " + segments + " segments").isEqualTo(onLeader.get(key));
            }
            assertThat(onLeader.values().stream().distinct().count()).as("keys spread over the segments").isEqualTo(segments);
        }
    }

    static Map<String, Integer> segmentOf(VersionScannable table, int segments) {
        Map<String, Integer> segmentOf = new HashMap<>();
        for (int segment = 0; segment < segments; segment++) {
            for (ItemVersion version : segment(table, segment, segments, 97, false)) {
                segmentOf.put(version.key(), segment);
            }
        }
        return segmentOf;
    }

    @Test
    void theVerifierFindsDriftReadingOnlyTheDifferingItemsAndRepairsIt() {
        DynamoLeaderStore leader = new DynamoLeaderStore(dynamo, table("leader", true));
        DynamoReplicaStore replica = new DynamoReplicaStore(dynamo, table("replica-1", false));
        for (int i = 0; i < 300; i++) {
            leader.put("d-" + i, "{\"i\":" + i + "}", 1_000 + i, Precondition.NONE);
        }
        leader.put("d-1", "\"two\"", 2_000, Precondition.NONE);
        leader.put("d-2", "\"two\"", 2_000, Precondition.NONE);
        replica.applyAll(scanAllItems(leader));
        replica.saveWatermark(new Watermark(10_000, "seq", 10_000));
        replica.replace("d-0", 1L, null);                                          // missing
        replica.replace("d-1", 2L, StoredItem.live("d-1", "\"old\"", 1, 1_000));   // older
        replica.replace("d-2", 2L, StoredItem.live("d-2", "\"forged\"", 50, 1_000)); // forged
        replica.apply(StoredItem.live("e-extra", "\"extra\"", 1, 1_000));          // extra
        ReplicaVerifier verifier = new ReplicaVerifier("a-l", leader, replica, Clock.systemUTC(),
                ReplicaVerifier.Settings.DEFAULT.withPageSize(50));

        VerifyReport found = verifier.verify(false);
        VerifyReport repaired = verifier.verify(true);
        VerifyReport after = verifier.verify(false);

        assertThat(found.missing()).isEqualTo(1);
        assertThat(found.different()).isEqualTo(2);
        assertThat(found.extra()).isEqualTo(1);
        assertThat(found.compared()).isEqualTo(301);
        assertThat(found.scanned()).isEqualTo(600);
        assertThat(found.itemsRead()).as("the 4 differing keys only (a key in another segment would add reads)")
                .isEqualTo(7);
        assertThat(repaired.repaired()).isEqualTo(4);
        assertThat(after.clean()).isTrue();
        assertThat(after.itemsRead()).isZero();
        for (String key : List.of("d-0", "d-1", "d-2")) {
            assertThat(replica.get(key)).isEqualTo(leader.get(key));
        }
        assertThat(replica.get("e-extra")).isEmpty();
    }

    static List<StoredItem> scanAllItems(DynamoLeaderStore leader) {
        List<StoredItem> items = new ArrayList<>();
        String cursor = null;
        do {
            var page = leader.scanSegment(0, 1, cursor, 100);
            items.addAll(page.items());
            cursor = page.lastEvaluatedKey();
        } while (cursor != null);
        return items;
    }
}
