package dev.shardkv.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.kv.StoredItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * The apply rule under duplicates, replays and reordering, checked on random histories (seeded, so a
 * failure names a seed that reproduces it).
 */
class ApplyRuleTest {

    @RepeatedTest(200)
    void anyDeliveryOrderConvergesToTheNewestVersionAndNeverGoesBack(RepetitionInfo run) {
        long seed = 0x5EEDL * run.getCurrentRepetition();
        Random random = new Random(seed);
        // The leader's history of one key: versions 1..n, some of them deletes.
        int n = 1 + random.nextInt(12);
        List<StoredItem> history = new ArrayList<>();
        for (int v = 1; v <= n; v++) {
            history.add(random.nextInt(4) == 0 ? StoredItem.tombstone("k", v, v * 10L, 1_000)
                    : StoredItem.live("k", "\"v" + v + "\"", v, v * 10L));
        }
        // At-least-once delivery: every record at least once, some duplicated, in any order.
        List<StoredItem> deliveries = new ArrayList<>(history);
        for (int i = random.nextInt(n + 1); i > 0; i--) {
            deliveries.add(history.get(random.nextInt(n)));
        }
        Collections.shuffle(deliveries, random);

        StoredItem replica = null;
        for (StoredItem incoming : deliveries) {
            long before = replica == null ? 0 : replica.version();
            if (ApplyRule.accepts(replica, incoming)) {
                replica = incoming;
            }
            assertThat(replica.version()).as("seed %d: versions never go back", seed).isGreaterThanOrEqualTo(before);
        }
        assertThat(replica).as("seed %d: the replica ends at the leader's newest state", seed).isEqualTo(history.get(n - 1));
    }

    @Test
    void aLateOldWriteNeverResurrectsADelete() {
        StoredItem tombstone = StoredItem.tombstone("k", 5, 50, 999);
        StoredItem lateWrite = StoredItem.live("k", "\"old\"", 4, 40);
        assertThat(ApplyRule.accepts(tombstone, lateWrite)).isFalse();
        assertThat(ApplyRule.accepts(tombstone, tombstone)).as("a duplicate is not applied twice").isFalse();
        assertThat(ApplyRule.accepts(null, lateWrite)).isTrue();
    }

    @Test
    void aRemovalOnlyTakesWhatIsNotNewer() {
        assertThat(ApplyRule.acceptsRemoval(StoredItem.live("k", "1", 3, 1), 3L)).isTrue();
        assertThat(ApplyRule.acceptsRemoval(StoredItem.live("k", "1", 4, 1), 3L)).isFalse();
        assertThat(ApplyRule.acceptsRemoval(null, 3L)).isFalse();
    }
}
