package dev.shardkv.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Lag (how far behind a replica is now) and delay (per record, commit to apply) are two quantities, kept apart. */
class ReplicationTrackerTest {
    static final long NOW = 1_000_000;

    @Test
    void lagIsNowMinusTheWatermarksCommitTimeAndUnknownOnceNothingWasAppliedForUnknownAfter() {
        var clock = new MutableClock(NOW);
        var tracker = new ReplicationTracker(clock, Duration.ofSeconds(5), Duration.ofSeconds(60));
        assertThat(tracker.lag("s", 1)).as("nothing applied yet").isEmpty();
        tracker.observe("s", 1, new Watermark(NOW - 300, "7", NOW - 100));
        assertThat(tracker.lag("s", 1)).hasValue(300);
        clock.advance(4_000);
        assertThat(tracker.lag("s", 1)).as("grows while nothing is applied").hasValue(4_300);
        clock.advance(1_200);
        assertThat(tracker.lag("s", 1)).as("unknown, never zero").isEmpty();
        assertThat(tracker.status("s", 1).healthy()).isFalse();
    }

    @Test
    void statusHoldsTheLagNowAndTheDelayPercentilesOfTheRecordsApplied() {
        var clock = new MutableClock(NOW);
        var tracker = new ReplicationTracker(clock, Duration.ofSeconds(5), Duration.ofSeconds(60));
        for (int i = 1; i <= 100; i++) {
            var record = ChangeRecord.upsert("" + i, StoredItem.live("k" + i, "1", 1, NOW - 1_000));
            tracker.applied("s", 2, record, ApplyResult.APPLIED, NOW - 1_000 + i); // delays 1 .. 100 ms
        }
        tracker.watermark("s", 2, new Watermark(NOW - 1_000, "100", NOW - 900));
        ReplicaStatus status = tracker.status("s", 2);
        assertThat(status.lagMs()).as("lag: now - the newest applied record's commit time").hasValue(1_000);
        assertThat(status.healthy()).isTrue();
        assertThat(status.samples()).isEqualTo(100);
        assertThat(status.p50()).isEqualTo(50);
        assertThat(status.p99()).isEqualTo(99);
        assertThat(status.max()).as("delay: per record, commit to apply").isEqualTo(100);
        assertThat(status.applied()).isEqualTo(100);
    }
}
