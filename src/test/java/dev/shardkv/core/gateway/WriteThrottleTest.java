package dev.shardkv.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.replication.ReplicationTracker;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.testing.MutableClock;
import dev.shardkv.core.topology.ShardEntry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Writes pause while a replica is too far behind, and only then; a replica of unknown lag does not block them. */
class WriteThrottleTest {
    static final ShardEntry SHARD = new ShardEntry("a-l", null, "m", "t-a-l-leader", List.of("t-a-l-replica-1", "t-a-l-replica-2"));

    @Test
    void refusesWritesWhileAReplicaIsBehindTheBoundAndAdmitsThemOnceItCatchesUp() {
        MutableClock now = new MutableClock(1_000_000);
        ReplicationTracker tracker = new ReplicationTracker(now, Duration.ofSeconds(5), Duration.ofSeconds(60));
        WriteThrottle throttle = new WriteThrottle(tracker, Duration.ofMillis(500));
        tracker.observe("a-l", 1, new Watermark(now.millis() - 100, "1", now.millis()));
        tracker.observe("a-l", 2, new Watermark(now.millis() - 400, "1", now.millis()));
        throttle.admit(SHARD); // 400 ms behind: within the bound
        assertThat(throttle.state(SHARD).active()).isFalse();

        now.advance(200); // replica 2 is now 600 ms behind (it applied nothing since)
        assertThatThrownBy(() -> throttle.admit(SHARD)).isInstanceOfSatisfying(ShardKvException.class, e -> {
            assertThat(e.type()).isEqualTo(ProblemType.WRITES_THROTTLED);
            assertThat(e.type().status()).isEqualTo(429);
            assertThat(e.fields()).containsEntry("lagMs", 600L).containsEntry("maxLagMs", 500L)
                    .containsEntry("retryAfter", 1).containsEntry("shard", "a-l");
        });
        assertThat(throttle.state(SHARD)).isEqualTo(new WriteThrottle.State(true, 500, 600, 1));

        tracker.observe("a-l", 2, new Watermark(now.millis() - 50, "2", now.millis())); // caught up
        throttle.admit(SHARD);
        assertThat(throttle.state(SHARD).active()).isFalse();
        assertThat(throttle.state(SHARD).rejected()).isEqualTo(1);
    }

    @Test
    void aReplicaWhoseLagIsUnknownDoesNotStopTheShardsWrites() {
        MutableClock now = new MutableClock(1_000_000);
        ReplicationTracker tracker = new ReplicationTracker(now, Duration.ofSeconds(5), Duration.ofSeconds(60));
        WriteThrottle throttle = new WriteThrottle(tracker, Duration.ofMillis(500));
        tracker.observe("a-l", 1, new Watermark(now.millis() - 100, "1", now.millis() - 6_000)); // nothing applied for 6 s
        throttle.admit(SHARD); // replica 2 never reported, replica 1 is unknown: nothing known to be behind
        assertThat(throttle.state(SHARD).active()).isFalse();
    }

    @Test
    void aZeroBoundTurnsTheThrottleOff() {
        MutableClock now = new MutableClock(1_000_000);
        ReplicationTracker tracker = new ReplicationTracker(now, Duration.ofSeconds(5), Duration.ofSeconds(60));
        WriteThrottle throttle = new WriteThrottle(tracker, Duration.ZERO);
        tracker.observe("a-l", 1, new Watermark(now.millis() - 4_000, "1", now.millis()));
        throttle.admit(SHARD);
        assertThat(throttle.enabled()).isFalse();
        assertThat(throttle.state(SHARD).active()).isFalse();
    }
}
