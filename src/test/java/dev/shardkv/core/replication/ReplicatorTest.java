package dev.shardkv.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.testing.FaultyReplicas;
import dev.shardkv.core.testing.MemoryReplica;
import dev.shardkv.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A shard's replicator over two in-memory replicas: every record reaches every replica once in effect. */
class ReplicatorTest {
    final MutableClock clock = new MutableClock(1_000_000);
    final ReplicationTracker tracker = new ReplicationTracker(clock, Duration.ofSeconds(5), Duration.ofSeconds(60));
    final MemoryReplica one = new MemoryReplica("t-a-l-replica-1");
    final MemoryReplica two = new MemoryReplica("t-a-l-replica-2");
    final FaultyReplicas faults = new FaultyReplicas();
    final Replicator replicator = new Replicator("a-l", List.of(one, faults.decorate(two)), clock, tracker,
            Duration.ZERO);

    static final List<ChangeRecord> BATCH = List.of(
            ChangeRecord.upsert("1", StoredItem.live("alpha", "1", 1, 999_000)),
            ChangeRecord.upsert("2", StoredItem.live("bravo", "1", 1, 999_100)),
            ChangeRecord.upsert("3", StoredItem.live("alpha", "2", 2, 999_200)));

    @AfterEach
    void close() {
        replicator.close();
    }

    @Test
    void appliesABatchToEveryReplicaAndMovesTheirWatermarks() {
        Replicator.BatchResult result = replicator.apply(BATCH);
        assertThat(result.succeeded()).isTrue();
        assertThat(result.completed()).isEqualTo(3);
        for (MemoryReplica replica : List.of(one, two)) {
            assertThat(replica.get("alpha").orElseThrow().version()).isEqualTo(2);
            assertThat(replica.get("bravo").orElseThrow().value()).isEqualTo("1");
            assertThat(replica.watermark()).contains(new Watermark(999_200, "3", clock.millis()));
        }
        assertThat(tracker.lag("a-l", 1)).hasValue(800);
        assertThat(tracker.lag("a-l", 2)).hasValue(800);
        assertThat(tracker.status("a-l", 2).applied()).isEqualTo(3);
    }

    @Test
    void aStreamReadToItsEndMovesTheWatermarksOfFedReplicasOnlyAndStoresNothing() {
        replicator.caughtUp(clock.millis());
        assertThat(tracker.watermark("a-l", 1)).isEmpty(); // nothing applied yet: it may have missed records

        replicator.apply(BATCH);
        clock.advance(3_000);
        assertThat(tracker.lag("a-l", 1)).hasValue(3_800);
        replicator.caughtUp(clock.millis() - 100);
        assertThat(tracker.lag("a-l", 1)).hasValue(100);
        assertThat(tracker.lag("a-l", 2)).hasValue(100);
        assertThat(tracker.watermark("a-l", 1).orElseThrow().sequenceNumber()).isEqualTo("3");
        assertThat(one.watermark()).contains(new Watermark(999_200, "3", 1_000_000)); // the stored one waits for a batch

        replicator.caughtUp(clock.millis() - 2_000); // an older claim never moves a watermark back
        assertThat(tracker.lag("a-l", 1)).hasValue(100);
    }

    @Test
    void withLanesAReplicasWatermarkIsItsSlowestLanesAndNoneUntilEveryLaneIsHeardFrom() {
        replicator.expectLanes(java.util.Set.of("vs0/0", "vs1/0"));
        replicator.apply("vs0/0", BATCH); // commit times up to 999_200
        assertThat(tracker.watermark("a-l", 1)).isEmpty(); // vs1/0 may still hold a write older than all of them

        replicator.apply("vs1/0", List.of(ChangeRecord.upsert("4", StoredItem.live("charlie", "1", 1, 999_050))));
        assertThat(tracker.watermark("a-l", 1).orElseThrow().ts()).isEqualTo(999_050);
        assertThat(tracker.lag("a-l", 2)).hasValue(950);
        assertThat(one.watermark().orElseThrow().ts()).isEqualTo(999_050); // the stored one is the frontier too

        // A claim for the idle lane moves the frontier to the other lane's mark, not past it.
        replicator.caughtUp("vs1/0", clock.millis());
        assertThat(tracker.watermark("a-l", 1).orElseThrow().ts()).isEqualTo(999_200);
        replicator.caughtUp("vs0/0", clock.millis());
        assertThat(tracker.lag("a-l", 1)).hasValue(0);
        assertThat(replicator.lanes(1)).containsOnlyKeys("vs0/0", "vs1/0");
    }

    @Test
    void anEndedLaneLeavesTheFrontierAndNewLanesHoldItUntilHeardFrom() {
        replicator.expectLanes(java.util.Set.of("vs0/0", "vs1/0"));
        replicator.apply("vs0/0", BATCH); // up to 999_200
        replicator.apply("vs1/0", List.of(ChangeRecord.upsert("4", StoredItem.live("charlie", "1", 1, 999_050))));
        assertThat(tracker.watermark("a-l", 1).orElseThrow().ts()).isEqualTo(999_050);

        replicator.openLanes(java.util.Set.of("vs1a/0")); // vs1/0 split: its child is expected from now on
        replicator.closeLane("vs1/0"); // and the parent, all of it applied, ends
        assertThat(tracker.watermark("a-l", 1).orElseThrow().ts()).as("no frontier without the child: unchanged")
                .isEqualTo(999_050);
        replicator.caughtUp("vs1/0", clock.millis()); // a late claim for the ended lane counts for nothing
        assertThat(replicator.lanes(1)).containsOnlyKeys("vs0/0");

        replicator.caughtUp("vs1a/0", clock.millis());
        assertThat(tracker.watermark("a-l", 1).orElseThrow().ts()).isEqualTo(999_200); // vs0/0 is the slowest now
        assertThat(tracker.status("a-l", 1).laneLagMs()).containsOnlyKeys("vs0/0", "vs1a/0");
    }

    @Test
    void aReplacingReplicatorTakesOverTheMarksOfTheLanesItExpectsOnly() {
        replicator.expectLanes(java.util.Set.of("vs0/0", "vs1/0"));
        replicator.apply("vs0/0", BATCH);
        replicator.openLanes(java.util.Set.of("vs1a/0"));
        replicator.closeLane("vs1/0");
        replicator.caughtUp("vs1a/0", clock.millis() - 500);
        try (Replicator next = new Replicator("a-l", List.of(one, two), clock, tracker, Duration.ZERO)) {
            next.expectLanes(java.util.Set.of("vs0/0", "vs1/0")); // its pump starts unsplit
            next.carryOver(replicator);
            assertThat(next.lanes(1)).containsOnlyKeys("vs0/0"); // not vs1a/0, which nothing feeds any more
            clock.advance(1_000);
            next.caughtUp("vs1/0", clock.millis()); // fed before: claimed at once, and vs1/0 is open again here
            next.caughtUp("vs0/0", clock.millis());
            assertThat(tracker.lag("a-l", 1)).hasValue(0);
        }
    }

    @Test
    void aReplicatorThatReplacesAnotherKeepsTheWatermarksOfTheReplicasBothFeed() {
        replicator.apply(BATCH);
        MemoryReplica three = new MemoryReplica("t-a-l-replica-3");
        try (Replicator next = new Replicator("a-l", List.of(two, three), clock, tracker, Duration.ZERO)) {
            next.carryOver(replicator);
            clock.advance(1_000);
            next.caughtUp(clock.millis());
            assertThat(tracker.lag("a-l", 1)).hasValue(0); // two, now the first replica: fed before, so caught up
            // three, the second replica now: never fed, so not claimed (the tracker keeps what two had as the second)
            assertThat(tracker.watermark("a-l", 2).orElseThrow().ts()).isEqualTo(999_200);
        }
    }

    @Test
    void replayingABatchChangesNothing() {
        replicator.apply(BATCH);
        Replicator.BatchResult again = replicator.apply(BATCH);
        assertThat(again.succeeded()).isTrue();
        assertThat(one.get("alpha").orElseThrow().version()).isEqualTo(2);
        assertThat(tracker.status("a-l", 1).alreadyApplied()).isEqualTo(3);
    }

    @Test
    void aFailureOnOneReplicaReportsTheEarliestFailedRecordSoARetryFillsTheGap() {
        // Two chunks; the second fails on replica 2 (at its last item: the whole chunk fails, from its first record).
        int records = Replicator.APPLY_CHUNK + 2;
        List<ChangeRecord> batch = new ArrayList<>();
        for (int i = 1; i <= records; i++) {
            batch.add(ChangeRecord.upsert("" + i, StoredItem.live("k" + i, "1", 1, 999_000 + i)));
        }
        faults.inject(two.table(), items -> {
            if (items.stream().anyMatch(item -> item.key().equals("k" + records))) {
                throw new IllegalStateException("replica 2 is down");
            }
        });
        Replicator.BatchResult result = replicator.apply(batch);
        assertThat(result.firstFailedSequenceNumber()).isEqualTo(Optional.of("" + (Replicator.APPLY_CHUNK + 1)));
        assertThat(result.completed()).isEqualTo(Replicator.APPLY_CHUNK);
        assertThat(one.get("k" + records)).isPresent();
        assertThat(two.get("k" + Replicator.APPLY_CHUNK)).as("applied before the failure").isPresent();
        assertThat(two.get("k" + (Replicator.APPLY_CHUNK + 1))).isEmpty();
        assertThat(tracker.status("a-l", 2).errors()).isEqualTo(1);

        faults.clear();
        assertThat(replicator.apply(batch.subList(result.completed(), records)).succeeded()).isTrue();
        for (int i = 1; i <= records; i++) {
            assertThat(two.get("k" + i)).as("k%d on replica 2", i).isPresent();
        }
        assertThat(tracker.status("a-l", 1).alreadyApplied()).as("replica 1 took the retried records as no-ops")
                .isEqualTo(2);
    }

    @Test
    void aRemovalTakesTheKeyUnlessTheReplicaHoldsANewerVersion() {
        replicator.apply(BATCH);
        replicator.apply(List.of(ChangeRecord.upsert("4", StoredItem.live("charlie", "1", 1, 999_300)),
                new ChangeRecord("5", ChangeRecord.Kind.REMOVE, "alpha", null, 1L),
                new ChangeRecord("6", ChangeRecord.Kind.REMOVE, "bravo", null, 1L)));
        assertThat(one.get("alpha")).as("holds version 2, newer than the removed 1").isPresent();
        assertThat(one.get("bravo")).isEmpty();
        assertThat(one.watermark().orElseThrow().sequenceNumber()).isEqualTo("6");
        assertThat(one.watermark().orElseThrow().ts()).as("removals carry no commit time").isEqualTo(999_300);
    }
}
