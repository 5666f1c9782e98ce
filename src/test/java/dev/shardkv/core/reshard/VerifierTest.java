package dev.shardkv.core.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.testing.MemoryLeader;
import dev.shardkv.core.testing.MemoryReplica;
import dev.shardkv.core.topology.RoutingMode;
import dev.shardkv.core.topology.ShardEntry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The verify phase: what the catch-up should have brought and did not is a difference; what it has not reached is in flight. */
class VerifierTest {
    final MemoryLeader source = new MemoryLeader("t-a-l-leader");
    final MemoryReplica left = new MemoryReplica("t-a-f-leader");
    final MemoryReplica right = new MemoryReplica("t-g-l-leader");
    final Verifier verifier = new Verifier(source, RoutingMode.RANGE, List.of(
            new Verifier.Target(new ShardEntry("a-f", null, "g", "t-a-f-leader", List.of()), keys -> read(left, keys)),
            new Verifier.Target(new ShardEntry("g-l", "g", "m", "t-g-l-leader", List.of()), keys -> read(right, keys))), 3);

    static List<StoredItem> read(MemoryReplica table, List<String> keys) {
        return keys.stream().map(table::get).flatMap(Optional::stream).toList();
    }

    void both(StoredItem item, MemoryReplica target) {
        source.seed(item);
        target.apply(item);
    }

    @Test
    void identicalTablesAreClean() {
        for (int i = 0; i < 10; i++) {
            both(StoredItem.live("alpha-" + i, "1", 2, 1_000 + i), left);
            both(StoredItem.live("hotel-" + i, "1", 3, 1_000 + i), right);
        }
        both(StoredItem.tombstone("bravo", 4, 1_100, 9_999), left);
        Verifier.Report report = verifier.verify(() -> 2_000);
        assertThat(report).isEqualTo(new Verifier.Report(21, 0, 0, 0, List.of()));
        assertThat(report.clean()).isTrue();
    }

    @Test
    void whatTheCatchUpShouldHaveBroughtIsADifferenceAndWhatItHasNotReachedIsInFlight() {
        source.seed(StoredItem.live("alpha", "1", 1, 1_000)); // committed before the catch-up's point, absent
        both(StoredItem.live("golf", "1", 1, 1_000), right);
        source.seed(StoredItem.live("golf", "2", 2, 1_200)); // newer on the source, before the point: lost
        source.seed(StoredItem.live("hotel", "1", 1, 3_000)); // after the point: in flight
        both(StoredItem.live("india", "1", 1, 1_000), right);
        right.apply(StoredItem.live("india", "2", 2, 3_100)); // the target ahead: in flight

        Verifier.Report report = verifier.verify(() -> 2_000);
        assertThat(report.compared()).isEqualTo(4);
        assertThat(report.missing()).isEqualTo(1);
        assertThat(report.different()).isEqualTo(1);
        assertThat(report.inFlight()).as("hotel behind the point, india ahead of the source").isEqualTo(2);
        assertThat(report.examples()).containsExactlyInAnyOrder("alpha", "golf");
        assertThat(report.clean()).isFalse();
    }
}
