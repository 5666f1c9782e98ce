package dev.shardkv.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.Watermark;
import org.junit.jupiter.api.Test;

/** The rule for one key, at its edges: the margin behind the watermark, no watermark, expiry, a forged version. */
class VerdictTest {
    static final long NOW = 10_000_000;
    static final Watermark WM = new Watermark(5_000, "seq", NOW);
    static final long MARGIN = 1_000;

    static StoredItem item(long version, long ts) {
        return StoredItem.live("k", "1", version, ts);
    }

    static Verdict of(StoredItem leader, StoredItem replica) {
        return Verdict.of(leader, replica, WM, NOW, MARGIN);
    }

    @Test
    void aLeaderCommitIsInFlightUntilTheWatermarkIsAMarginPastIt() {
        assertThat(of(item(2, 4_000), item(1, 1_000))).isEqualTo(Verdict.DIFFERENT);
        assertThat(of(item(2, 4_001), item(1, 1_000))).isEqualTo(Verdict.IN_FLIGHT);
        assertThat(of(item(1, 4_000), null)).isEqualTo(Verdict.MISSING);
        assertThat(of(item(1, 4_001), null)).isEqualTo(Verdict.IN_FLIGHT);
        assertThat(Verdict.of(item(1, 1), null, null, NOW, MARGIN)).as("no watermark: nothing applied yet")
                .isEqualTo(Verdict.IN_FLIGHT);
    }

    @Test
    void aVersionAboveTheLeadersIsDifferentWhateverTheWatermark() {
        assertThat(of(item(2, 4_900), item(3, 4_950))).isEqualTo(Verdict.DIFFERENT);
        assertThat(Verdict.of(item(2, 1), item(9, 1), null, NOW, MARGIN)).isEqualTo(Verdict.DIFFERENT);
    }

    @Test
    void equalVersionsAndNothingOnEitherSideAreTheSame() {
        assertThat(of(item(4, 4_900), item(4, 4_900))).isEqualTo(Verdict.SAME);
        assertThat(of(null, null)).isEqualTo(Verdict.SAME);
        assertThat(of(null, item(1, 1))).isEqualTo(Verdict.EXTRA);
    }

    @Test
    void anExpiredTombstoneCountsAsNothing() {
        StoredItem expired = StoredItem.tombstone("k", 5, 1_000, NOW / 1000);
        StoredItem live = StoredItem.tombstone("k", 5, 1_000, NOW / 1000 + 1);
        assertThat(of(expired, null)).isEqualTo(Verdict.SAME);
        assertThat(of(null, expired)).isEqualTo(Verdict.SAME);
        assertThat(of(live, null)).as("a tombstone not yet expired must be there").isEqualTo(Verdict.MISSING);
        assertThat(of(expired, item(4, 900))).as("the replica missed the delete").isEqualTo(Verdict.EXTRA);
        assertThat(of(item(6, 2_000), expired)).isEqualTo(Verdict.MISSING);
    }
}
