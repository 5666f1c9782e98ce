package dev.shardkv.core.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.replication.ReplicationTracker;
import dev.shardkv.core.replication.Watermark;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadPlannerTest {
    static final long NOW = 1_000_000;
    final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    final ReplicationTracker tracker = new ReplicationTracker(clock, Duration.ofSeconds(5), Duration.ofSeconds(60));
    final ReadPlanner planner = new ReadPlanner(tracker);

    @Test
    void unknownLagIsUnhealthyNeverZero() {
        assertThat(tracker.lag("s", 1)).isEmpty();
        assertThat(planner.choose("s", 2, Consistency.EVENTUAL, 0, ConsistencyToken.EMPTY)).isEqualTo(ReadTarget.LEADER);
        // Applied something long ago: the replica may be fine, but nobody knows; still unhealthy.
        tracker.observe("s", 1, new Watermark(NOW - 9_000, "1", NOW - 6_000));
        assertThat(tracker.lag("s", 1)).isEmpty();
        assertThat(planner.choose("s", 1, Consistency.EVENTUAL, 0, ConsistencyToken.EMPTY)).isEqualTo(ReadTarget.LEADER);
    }

    @Test
    void eventualSpreadsOverHealthyReplicas() {
        tracker.observe("s", 1, new Watermark(NOW - 100, "1", NOW - 90));
        tracker.observe("s", 2, new Watermark(NOW - 300, "1", NOW - 200));
        tracker.observe("s", 3, new Watermark(NOW - 9_000, "1", NOW - 8_000)); // unknown
        Set<Integer> chosen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            chosen.add(planner.choose("s", 3, Consistency.EVENTUAL, 0, ConsistencyToken.EMPTY).replica());
        }
        assertThat(chosen).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void boundedUsesOnlyReplicasUnderTheBound() {
        tracker.observe("s", 1, new Watermark(NOW - 100, "1", NOW - 90));
        tracker.observe("s", 2, new Watermark(NOW - 3_000, "1", NOW - 10));
        for (int i = 0; i < 50; i++) {
            ReadTarget t = planner.choose("s", 2, Consistency.BOUNDED, 500, ConsistencyToken.EMPTY);
            assertThat(t.replica()).isEqualTo(1);
            assertThat(t.lagMs()).hasValue(100);
        }
        assertThat(planner.choose("s", 2, Consistency.BOUNDED, 50, ConsistencyToken.EMPTY)).isEqualTo(ReadTarget.LEADER);
    }

    @Test
    void sessionUsesOnlyReplicasThatCoverTheClientsWrites() {
        tracker.observe("s", 1, new Watermark(NOW - 100, "1", NOW - 90));
        tracker.observe("s", 2, new Watermark(NOW - 50, "2", NOW - 10));
        ConsistencyToken wroteAt = ConsistencyToken.of("s", NOW - 60 - ReadPlanner.SESSION_MARGIN_MS);
        for (int i = 0; i < 50; i++) {
            assertThat(planner.choose("s", 2, Consistency.SESSION, 0, wroteAt).replica()).isEqualTo(2);
        }
        assertThat(planner.choose("s", 2, Consistency.SESSION, 0, ConsistencyToken.of("s", NOW - 1)))
                .isEqualTo(ReadTarget.LEADER);
        // A watermark at, or just past, the write's commit time may come from a record that committed before
        // it (its clock was read later): not proof enough.
        assertThat(planner.choose("s", 2, Consistency.SESSION, 0, ConsistencyToken.of("s", NOW - 50)))
                .isEqualTo(ReadTarget.LEADER);
        assertThat(planner.choose("s", 2, Consistency.SESSION, 0, ConsistencyToken.of("s", NOW - 50 - ReadPlanner.SESSION_MARGIN_MS)))
                .isEqualTo(ReadTarget.LEADER);
        assertThat(planner.choose("s", 2, Consistency.STRONG, 0, ConsistencyToken.EMPTY)).isEqualTo(ReadTarget.LEADER);
    }
}
