package dev.shardkv.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.testing.MemoryLeader;
import dev.shardkv.core.testing.MemoryReplica;
import dev.shardkv.core.testing.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A replica against its leader, on the in-memory stores: every kind of drift is found exactly once, a repair
 * mends it and never overwrites a newer write, and what the replicator simply has not applied yet, writes
 * between the two scans, expired tombstones and reserved keys are never differences.
 */
class ReplicaVerifierTest {
    static final long NOW = 10_000_000;
    static final long WATERMARK = 5_000;

    final MutableClock clock = new MutableClock(NOW);
    final MemoryLeader leader = new MemoryLeader("t-a-l-leader") {
        @Override
        public long approximateCount() { // as DynamoDB's estimate would be: it sets how many segments there are
            return 102;
        }
    };
    MemoryReplica replica = new MemoryReplica("t-a-l-replica-1");

    @BeforeEach
    void hundredKeysOnBoth() {
        for (int i = 0; i < 100; i++) {
            both(StoredItem.live("k-" + i, "{\"i\":" + i + "}", 1 + i % 3, 1_000 + i));
        }
        replica.saveWatermark(new Watermark(WATERMARK, "seq-1", NOW));
    }

    void both(StoredItem item) {
        leader.seed(item);
        replica.seed(item);
    }

    ReplicaVerifier verifier() {
        return new ReplicaVerifier("a-l", leader, replica, clock, ReplicaVerifier.Settings.DEFAULT);
    }

    @Test
    void identicalTablesAreCleanAndReadNoItem() {
        VerifyReport report = verifier().verify(false);

        assertThat(report.clean()).isTrue();
        assertThat(report.compared()).isEqualTo(100);
        assertThat(report.scanned()).isEqualTo(200);
        assertThat(report.inFlight()).isZero();
        assertThat(report.itemsRead()).as("equal versions need no item read").isZero();
        assertThat(report.at()).isEqualTo(NOW);
        assertThat(report.shard()).isEqualTo("a-l");
        assertThat(report.replica()).isEqualTo("t-a-l-replica-1");
    }

    @Test
    void eachKindOfDriftIsFoundExactlyOnce() {
        tamper();

        VerifyReport report = verifier().verify(false);

        assertThat(report.missing()).isEqualTo(2);
        assertThat(report.different()).isEqualTo(2);
        assertThat(report.extra()).isEqualTo(1);
        assertThat(report.inFlight()).isZero();
        assertThat(report.repaired()).isZero();
        assertThat(report.compared()).as("100 keys, the extra one and the tombstone").isEqualTo(102);
        assertThat(report.examples().missing()).containsExactly("k-1", "k-gone");
        assertThat(report.examples().different()).containsExactly("k-2", "k-3");
        assertThat(report.examples().extra()).containsExactly("x-extra");
        assertThat(report.itemsRead()).as("the 5 differing keys only: 4 on the leader, 3 on the replica, the forged one's leader again")
                .isEqualTo(8);
        assertThat(replica.get("k-3").orElseThrow().version()).as("nothing written without repair").isEqualTo(99);
    }

    /** A missing key, a missing tombstone, an older version, a forged higher version, an extra key. */
    void tamper() {
        replica.drop("k-1");
        leader.seed(StoredItem.tombstone("k-gone", 4, 2_000, NOW / 1000 + 3_600));
        StoredItem two = leader.get("k-2").orElseThrow();
        leader.seed(StoredItem.live("k-2", "\"new\"", two.version() + 1, 3_000));
        replica.seed(StoredItem.live("k-3", "\"forged\"", 99, 4_000));
        replica.seed(StoredItem.live("x-extra", "\"extra\"", 1, 1_000));
    }

    @Test
    void aRepairMendsEveryKindAndASecondVerifyFindsNothing() {
        tamper();

        VerifyReport repaired = verifier().verify(true);
        VerifyReport again = verifier().verify(false);

        assertThat(repaired.differences()).isEqualTo(5);
        assertThat(repaired.repaired()).isEqualTo(5);
        assertThat(again.clean()).isTrue();
        assertThat(again.inFlight()).isZero();
        assertThat(again.itemsRead()).isZero();
        assertThat(replica.get("k-1")).isEqualTo(leader.get("k-1"));
        assertThat(replica.get("k-gone")).as("the leader's tombstone, expiry included").isEqualTo(leader.get("k-gone"));
        assertThat(replica.get("k-2")).isEqualTo(leader.get("k-2"));
        assertThat(replica.get("k-3")).as("the forged version goes back to the leader's lower one").isEqualTo(leader.get("k-3"));
        assertThat(replica.get("x-extra")).isEmpty();
    }

    @Test
    void aRepairWhoseConditionFailsOverwritesNothing() {
        StoredItem newer = StoredItem.live("k-5", "\"replicated\"", 7, 6_000);
        replica = new MemoryReplica("t-a-l-replica-1") {
            @Override
            public synchronized boolean replace(String key, Long expectedVersion, StoredItem item) {
                if (key.equals("k-5")) {
                    apply(newer); // the replicator gets there between the re-check and the repair
                }
                return super.replace(key, expectedVersion, item);
            }
        };
        for (int i = 0; i < 100; i++) {
            replica.seed(leader.get("k-" + i).orElseThrow());
        }
        replica.saveWatermark(new Watermark(WATERMARK, "seq-1", NOW));
        replica.drop("k-5");
        replica.seed(StoredItem.live("k-6", "\"forged\"", 50, 1_000));

        VerifyReport report = verifier().verify(true);

        assertThat(report.missing()).isEqualTo(1);
        assertThat(report.different()).isEqualTo(1);
        assertThat(report.repaired()).as("k-6 only: k-5 changed under the repair").isEqualTo(1);
        assertThat(replica.get("k-5")).contains(newer);
        assertThat(replica.get("k-6")).isEqualTo(leader.get("k-6"));
    }

    @Test
    void whatTheWatermarkDoesNotCoverYetIsInFlightAndLeftAlone() {
        StoredItem held = replica.get("k-7").orElseThrow();
        leader.seed(StoredItem.live("k-7", "\"new\"", 9, WATERMARK + 10)); // after the watermark
        leader.seed(StoredItem.live("k-new", "\"new\"", 1, WATERMARK - 500)); // within the margin
        leader.seed(StoredItem.live("k-8", "\"new\"", 9, WATERMARK - 1_000)); // covered: the replica should have it

        VerifyReport report = verifier().verify(true);

        assertThat(report.inFlight()).isEqualTo(2);
        assertThat(report.examples().inFlight()).containsExactly("k-7", "k-new");
        assertThat(report.different()).isEqualTo(1);
        assertThat(report.repaired()).as("in-flight keys are the replicator's to apply").isEqualTo(1);
        assertThat(replica.get("k-7")).contains(held);
        assertThat(replica.get("k-new")).isEmpty();
    }

    @Test
    void aReplicaWithNoWatermarkHasEverythingInFlight() {
        replica = new MemoryReplica("t-a-l-replica-2");
        leader.get("k-0").ifPresent(replica::seed);

        VerifyReport report = verifier().verify(false);

        assertThat(report.inFlight()).isEqualTo(99);
        assertThat(report.clean()).isTrue();
    }

    @Test
    void aWriteBetweenTheTwoScansIsNotADifference() {
        AtomicBoolean written = new AtomicBoolean();
        replica = new MemoryReplica("t-a-l-replica-1") {
            @Override
            public VersionPage scanVersions(int segment, int segments, String start, int pageSize, boolean consistent) {
                if (written.compareAndSet(false, true)) { // after the leader's scan of segment 0: a write, replicated
                    for (String key : List.of("k-10", "k-brand-new")) {
                        StoredItem now = leader.get(key).orElse(null);
                        StoredItem next = StoredItem.live(key, "\"w\"", now == null ? 1 : now.version() + 1, WATERMARK + 100);
                        leader.seed(next);
                        apply(next);
                    }
                    saveWatermark(new Watermark(WATERMARK + 100, "seq-2", NOW));
                }
                return super.scanVersions(segment, segments, start, pageSize, consistent);
            }
        };
        for (int i = 0; i < 100; i++) {
            replica.seed(leader.get("k-" + i).orElseThrow());
        }
        replica.saveWatermark(new Watermark(WATERMARK, "seq-1", NOW));

        VerifyReport report = new ReplicaVerifier("a-l", leader, replica, clock,
                ReplicaVerifier.Settings.DEFAULT.withSegments(1)).verify(true);

        assertThat(report.itemsRead()).as("both keys were candidates, and re-checked").isPositive();
        assertThat(report.clean()).as(report.toString()).isTrue();
        assertThat(report.repaired()).isZero();
        assertThat(report.inFlight()).isZero();
    }

    /** A replica whose items are the leader's, and whose consistent reads run {@code during} first. */
    MemoryReplica replicaReadingAfter(Runnable during) {
        MemoryReplica hooked = new MemoryReplica("t-a-l-replica-1") {
            @Override
            public List<StoredItem> getAllConsistent(List<String> keys) {
                during.run();
                return super.getAllConsistent(keys);
            }
        };
        for (int i = 0; i < 100; i++) {
            hooked.seed(leader.get("k-" + i).orElseThrow());
        }
        hooked.saveWatermark(new Watermark(WATERMARK, "seq-1", NOW));
        return hooked;
    }

    @Test
    void aWriteThatReplicatesDuringTheReCheckIsNotADifference() {
        replica = replicaReadingAfter(() -> { // between the re-check's leader read and its replica read
            StoredItem next = StoredItem.live("k-20", "\"w\"", leader.get("k-20").orElseThrow().version() + 1, WATERMARK + 50);
            leader.seed(next);
            replica.apply(next);
        });
        replica.drop("k-21"); // a real difference, so that there is a re-check at all
        leader.seed(StoredItem.live("k-20", "\"v\"", leader.get("k-20").orElseThrow().version() + 1, 4_000));

        VerifyReport report = new ReplicaVerifier("a-l", leader, replica, clock,
                ReplicaVerifier.Settings.DEFAULT.withSegments(1)).verify(true);

        assertThat(report.missing()).isEqualTo(1);
        assertThat(report.different()).as("k-20 is the leader's newest version on both: " + report).isZero();
        assertThat(replica.get("k-20")).isEqualTo(leader.get("k-20"));
    }

    @Test
    void aReplicatorCatchingUpJustAfterTheReplicaIsReadIsNotADifference() {
        StoredItem written = StoredItem.live("k-new", "\"new\"", 1, WATERMARK + 100);
        leader.seed(written);
        AtomicBoolean caughtUp = new AtomicBoolean();
        replica = new MemoryReplica("t-a-l-replica-1") {
            @Override
            public List<StoredItem> getAllConsistent(List<String> keys) {
                List<StoredItem> read = super.getAllConsistent(keys);
                if (caughtUp.compareAndSet(false, true)) { // the replicator applies it, and moves the watermark far past
                    apply(written);
                    saveWatermark(new Watermark(WATERMARK + 10_000, "seq-9", NOW));
                }
                return read;
            }
        };
        for (int i = 0; i < 100; i++) {
            replica.seed(leader.get("k-" + i).orElseThrow());
        }
        replica.saveWatermark(new Watermark(WATERMARK, "seq-1", NOW));

        VerifyReport report = verifier().verify(true);

        assertThat(report.clean()).as("the watermark is read before the replica, so it vouches only for what was read: "
                + report).isTrue();
        assertThat(report.inFlight()).isEqualTo(1);
        assertThat(report.repaired()).isZero();
    }

    @Test
    void expiredTombstonesAreNeverDifferences() {
        long expired = NOW / 1000 - 1;
        leader.seed(StoredItem.tombstone("t-leader-only", 3, 1_000, expired)); // the replica's TTL took its copy
        replica.seed(StoredItem.tombstone("t-replica-only", 3, 1_000, expired)); // the leader's TTL took its copy
        both(StoredItem.tombstone("t-both", 2, 1_000, expired));
        leader.seed(StoredItem.tombstone("t-newer", 5, 1_000, expired));
        replica.seed(StoredItem.tombstone("t-newer", 3, 900, expired));

        VerifyReport report = verifier().verify(true);

        assertThat(report.clean()).isTrue();
        assertThat(report.compared()).isEqualTo(100);
        assertThat(report.scanned()).isEqualTo(206);
        assertThat(report.repaired()).isZero();
    }

    @Test
    void reservedKeysAreNeverCompared() {
        leader.seed(StoredItem.live(Keys.HEARTBEAT_KEY, "1", 40, 4_000));
        replica.seed(StoredItem.live(Keys.HEARTBEAT_KEY, "1", 12, 1_000));
        leader.seed(StoredItem.live(Keys.FENCE_KEY, "\"open\"", 1, 1_000));

        VerifyReport report = verifier().verify(true);

        assertThat(report.clean()).isTrue();
        assertThat(report.compared()).isEqualTo(100);
        assertThat(replica.get(Keys.HEARTBEAT_KEY).orElseThrow().version()).isEqualTo(12);
    }

    @Test
    void aLargeTableIsCutIntoMoreSegmentsThanLanesAndEveryKeyComparedOnce() {
        replica.drop("k-40");
        List<Long> progress = new ArrayList<>();
        MemoryLeader counted = new MemoryLeader("t-a-l-leader") {
            @Override
            public long approximateCount() {
                return 100;
            }
        };
        for (int i = 0; i < 100; i++) {
            counted.seed(leader.get("k-" + i).orElseThrow());
        }
        ReplicaVerifier verifier = new ReplicaVerifier("a-l", counted, replica, clock,
                ReplicaVerifier.Settings.DEFAULT.withSegments(2).withItemsPerSegment(10).withPageSize(3));

        VerifyReport report = verifier.verify(false, n -> {
            synchronized (progress) {
                progress.add(n);
            }
        });

        assertThat(report.compared()).isEqualTo(100);
        assertThat(report.missing()).isEqualTo(1);
        assertThat(progress).as("progress after every page, up to all keys").isNotEmpty().contains(100L);
        assertThat(progress.stream().mapToLong(Long::longValue).max().orElse(0)).isEqualTo(100);
    }

    /** Stopped after some segments (a resharder invocation ending), it goes on from its checkpoint: same findings. */
    @Test
    void aVerificationStoppedBetweenSegmentsGoesOnFromItsCheckpointWithTheSameFindings() {
        tamper();
        ReplicaVerifier.Settings small = ReplicaVerifier.Settings.DEFAULT.withSegments(1).withItemsPerSegment(10);
        VerifyReport whole = new ReplicaVerifier("a-l", leader, replica, clock, small).verify(false);

        List<ReplicaVerifier.Checkpoint> saved = new ArrayList<>();
        RuntimeException stop = new IllegalStateException("the invocation ends");
        try {
            new ReplicaVerifier("a-l", leader, replica, clock, small).verify(false, compared -> {
            }, null, checkpoint -> {
                saved.add(checkpoint);
                if (checkpoint.done() == 4) { // one lane: the segments end in order
                    throw stop;
                }
            });
        } catch (IllegalStateException e) {
            assertThat(e).isSameAs(stop);
        }
        ReplicaVerifier.Checkpoint reached = saved.getLast();
        assertThat(reached.done()).isEqualTo(4);
        assertThat(reached.segments()).as("at least 10 items per segment: 102 keys").isEqualTo(11);
        assertThat(reached.report().compared()).isPositive().isLessThan(whole.compared());

        List<Long> progress = new ArrayList<>();
        VerifyReport resumed = new ReplicaVerifier("a-l", leader, replica, clock, small)
                .verify(false, progress::add, reached, checkpoint -> {
                });
        assertThat(List.of(resumed.compared(), resumed.missing(), resumed.different(), resumed.extra(),
                resumed.inFlight(), resumed.scanned())).as("the same as one run from the start")
                .isEqualTo(List.of(whole.compared(), whole.missing(), whole.different(), whole.extra(), whole.inFlight(),
                        whole.scanned()));
        assertThat(resumed.examples()).isEqualTo(whole.examples());
        assertThat(progress.getFirst()).as("progress goes on from the checkpoint").isGreaterThan(reached.report().compared());
    }
}
