package dev.shardkv.core.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The ETA: what is left to copy at the copy rate, plus what is behind at the rate it shrinks. */
class ProgressTest {
    @Test
    void ratesAreItemsPerSecond() {
        assertThat(Progress.rate(500, 2_000)).isEqualTo(250.0);
        assertThat(Progress.rate(500, 0)).isZero();
    }

    @Test
    void theEtaAddsTheRestOfTheCopyAndTheBacklog() {
        assertThat(new Progress(250, 1_000, 0).etaMs(250, 0)).isEqualTo(3_000L);
        assertThat(new Progress(1_000, 1_000, 60).etaMs(0, 30)).isEqualTo(2_000L);
        assertThat(new Progress(500, 1_000, 100).etaMs(100, 50)).isEqualTo(7_000L);
        assertThat(new Progress(1, 2, 0).etaMs(3, 0)).as("rounded up, never 0 while work is left").isEqualTo(334L);
    }

    @Test
    void nothingLeftIsZero() {
        assertThat(new Progress(1_000, 1_000, 0).etaMs(0, 0)).isZero();
        assertThat(new Progress(1_200, 1_000, 0).etaMs(0, 0)).as("the total is an estimate").isZero();
    }

    @Test
    void withoutARateThatIsNeededThereIsNoEta() {
        assertThat(new Progress(0, 1_000, 0).etaMs(0, 10)).as("copy not measured yet").isNull();
        assertThat(new Progress(1_000, 1_000, 10).etaMs(100, 0)).as("backlog not shrinking").isNull();
        assertThat(new Progress(1_000, 1_000, 10).etaMs(100, -5)).as("backlog growing").isNull();
        assertThat(new Progress(10, 1_000, 0).etaMs(Double.NaN, 1)).isNull();
    }

    @Test
    void countsAreNeverNegative() {
        assertThatThrownBy(() -> new Progress(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Progress(0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
