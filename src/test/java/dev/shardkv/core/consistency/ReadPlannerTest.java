package dev.shardkv.core.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.replication.ReplicationTracker;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.topology.ShardEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReadPlannerTest {
    static final long NOW = 1_000_000;
    final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    final ReplicationTracker tracker = new ReplicationTracker(clock, Duration.ofSeconds(5), Duration.ofSeconds(60));
    final Set<String> divergent = new HashSet<>();
    final ReadPlanner planner = new ReadPlanner(tracker, () -> Set.copyOf(divergent));

    /** Shard "s" with replicas s-replica-1 .. s-replica-n. */
    static ShardEntry shard(int replicas) {
        return new ShardEntry("s", null, null, "s-leader",
                IntStream.rangeClosed(1, replicas).mapToObj(n -> "s-replica-" + n).toList());
    }

    @Test
    void unknownLagIsUnhealthyNeverZero() {
        assertThat(tracker.lag("s", 1)).isEmpty();
        assertThat(planner.choose(shard(2), Consistency.EVENTUAL, 0, ConsistencyToken.EMPTY)).isEqualTo(ReadTarget.LEADER);
        // Applied something long ago: the replica may be fine, but nobody knows; still unhealthy.
        tracker.observe("s", 1, new Watermark(NOW - 9_000, "1", NOW - 6_000));
        assertThat(tracker.lag("s", 1)).isEmpty();
        assertThat(planner.choose(shard(1), Consistency.EVENTUAL, 0, ConsistencyToken.EMPTY)).isEqualTo(ReadTarget.LEADER);
    }

    @Test
    void eventualSpreadsOverHealthyReplicas() {
        tracker.observe("s", 1, new Watermark(NOW - 100, "1", NOW - 90));
        tracker.observe("s", 2, new Watermark(NOW - 300, "1", NOW - 200));
        tracker.observe("s", 3, new Watermark(NOW - 9_000, "1", NOW - 8_000)); // unknown
        Set<Integer> chosen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            chosen.add(planner.choose(shard(3), Consistency.EVENTUAL, 0, ConsistencyToken.EMPTY).replica());
        }
        assertThat(chosen).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void boundedUsesOnlyReplicasUnderTheBound() {
        tracker.observe("s", 1, new Watermark(NOW - 100, "1", NOW - 90));
        tracker.observe("s", 2, new Watermark(NOW - 3_000, "1", NOW - 10));
        for (int i = 0; i < 50; i++) {
            ReadTarget t = planner.choose(shard(2), Consistency.BOUNDED, 500, ConsistencyToken.EMPTY);
            assertThat(t.replica()).isEqualTo(1);
            assertThat(t.lagMs()).hasValue(100);
        }
        assertThat(planner.choose(shard(2), Consistency.BOUNDED, 50, ConsistencyToken.EMPTY)).isEqualTo(ReadTarget.LEADER);
    }

    @Test
    void sessionUsesOnlyReplicasThatCoverTheClientsWrites() {
        tracker.observe("s", 1, new Watermark(NOW - 100, "1", NOW - 90));
        tracker.observe("s", 2, new Watermark(NOW - 50, "2", NOW - 10));
        ConsistencyToken wroteAt = ConsistencyToken.of("s", NOW - 60 - ReadPlanner.SESSION_MARGIN_MS);
        for (int i = 0; i < 50; i++) {
            assertThat(planner.choose(shard(2), Consistency.SESSION, 0, wroteAt).replica()).isEqualTo(2);
        }
        assertThat(planner.choose(shard(2), Consistency.SESSION, 0, ConsistencyToken.of("s", NOW - 1)))
                .isEqualTo(ReadTarget.LEADER);
        // A watermark at, or just past, the write's commit time may come from a record that committed before
        // it (its clock was read later): not proof enough.
        assertThat(planner.choose(shard(2), Consistency.SESSION, 0, ConsistencyToken.of("s", NOW - 50)))
                .isEqualTo(ReadTarget.LEADER);
        assertThat(planner.choose(shard(2), Consistency.SESSION, 0, ConsistencyToken.of("s", NOW - 50 - ReadPlanner.SESSION_MARGIN_MS)))
                .isEqualTo(ReadTarget.LEADER);
        assertThat(planner.choose(shard(2), Consistency.STRONG, 0, ConsistencyToken.EMPTY)).isEqualTo(ReadTarget.LEADER);
    }

    @Test
    void aDivergentReplicaServesNoEventualBoundedOrSessionRead() {
        tracker.observe("s", 1, new Watermark(NOW - 100, "1", NOW - 90));
        tracker.observe("s", 2, new Watermark(NOW - 50, "2", NOW - 10));
        ConsistencyToken wroteAt = ConsistencyToken.of("s", NOW - 200 - ReadPlanner.SESSION_MARGIN_MS); // both cover it
        assertThat(planner.choose(shard(2), Consistency.SESSION, 0, wroteAt).isLeader()).isFalse();
        divergent.add("s-replica-1");
        for (int i = 0; i < 100; i++) {
            assertThat(planner.choose(shard(2), Consistency.EVENTUAL, 0, ConsistencyToken.EMPTY).replica()).isEqualTo(2);
            assertThat(planner.choose(shard(2), Consistency.BOUNDED, 500, ConsistencyToken.EMPTY).replica()).isEqualTo(2);
            assertThat(planner.choose(shard(2), Consistency.SESSION, 0, wroteAt).replica()).isEqualTo(2);
        }
        divergent.remove("s-replica-1");
        Set<Integer> chosen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            chosen.add(planner.choose(shard(2), Consistency.EVENTUAL, 0, ConsistencyToken.EMPTY).replica());
        }
        assertThat(chosen).as("cleared: served again").containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void whenEveryReplicaIsDivergentTheLeaderAnswersAsWithUnknownLag() {
        tracker.observe("s", 1, new Watermark(NOW - 100, "1", NOW - 90));
        tracker.observe("s", 2, new Watermark(NOW - 50, "2", NOW - 10));
        divergent.addAll(List.of("s-replica-1", "s-replica-2", "other-replica-1"));
        for (Consistency c : List.of(Consistency.EVENTUAL, Consistency.BOUNDED, Consistency.SESSION)) {
            assertThat(planner.choose(shard(2), c, 10_000, ConsistencyToken.EMPTY)).as(c.json()).isEqualTo(ReadTarget.LEADER);
        }
    }

    @Test
    void theDivergentSetIsAskedOncePerReadAndNeverForStrongOnes() {
        AtomicInteger asked = new AtomicInteger();
        ReadPlanner counting = new ReadPlanner(tracker, () -> {
            asked.incrementAndGet();
            return Set.of();
        });
        counting.choose(shard(3), Consistency.EVENTUAL, 0, ConsistencyToken.EMPTY);
        counting.choose(shard(3), Consistency.STRONG, 0, ConsistencyToken.EMPTY);
        assertThat(asked).hasValue(1);
    }
}
