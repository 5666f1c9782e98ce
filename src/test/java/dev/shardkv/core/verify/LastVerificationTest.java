package dev.shardkv.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LastVerificationTest {

    @Test
    void unrepairedIsWhatRepairsLeftAndNeverBelowZero() {
        assertThat(last(1, 2, 1, 0).unrepaired()).isEqualTo(4);
        assertThat(last(1, 2, 1, 3).unrepaired()).as("a repair lost its condition").isEqualTo(1);
        assertThat(last(1, 2, 1, 4).unrepaired()).isZero();
        assertThat(last(0, 0, 0, 2).unrepaired()).as("never below zero").isZero();
        assertThat(last(0, 0, 0, 0).divergent()).isFalse();
        assertThat(last(0, 1, 0, 0).divergent()).isTrue();
    }

    @Test
    void ofAReportKeepsItsCountsAndTheOperation() {
        VerifyReport report = new VerifyReport("a-l", "kv-a-l-replica-1", 100, 1, 2, 3, 4, 5, 9, 200, 1_000,
                new VerifyReport.Examples(List.of(), List.of(), List.of(), List.of()), 12);
        assertThat(LastVerification.of(report, "op-1"))
                .isEqualTo(new LastVerification("a-l", "kv-a-l-replica-1", 1_000, 1, 2, 3, 4, "op-1"));
    }

    static LastVerification last(long missing, long different, long extra, long repaired) {
        return new LastVerification("a-l", "kv-a-l-replica-1", 1, missing, different, extra, repaired, "op-1");
    }
}
