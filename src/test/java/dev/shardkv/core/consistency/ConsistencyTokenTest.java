package dev.shardkv.core.consistency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ConsistencyTokenTest {

    @Test
    void roundTripsAndMergesPerShardKeepingTheNewest() {
        ConsistencyToken a = ConsistencyToken.of("a-l", 100);
        ConsistencyToken b = new ConsistencyToken(Map.of("a-l", 90L, "t-z", 200L));
        ConsistencyToken merged = a.merge(b);
        assertThat(merged.commits()).containsExactlyInAnyOrderEntriesOf(Map.of("a-l", 100L, "t-z", 200L));
        assertThat(ConsistencyToken.parse(merged.encode())).isEqualTo(merged);
        assertThat(merged.encode()).startsWith("v1.").doesNotContain("=", "+", "/");
        assertThat(merged.commitTs("m-s")).isZero();
        assertThat(ConsistencyToken.parse(null)).isEqualTo(ConsistencyToken.EMPTY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "v1.!!!", "v2.YS1sPTE", "v1.YS1sPXg"})
    void refusesTokensItDidNotIssue(String token) {
        assertThatThrownBy(() -> ConsistencyToken.parse(token))
                .isInstanceOfSatisfying(ShardKvException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.INVALID_CONSISTENCY));
    }

    @Test
    void parsesConsistencyNames() {
        assertThat(Consistency.parse(null)).isEqualTo(Consistency.EVENTUAL);
        assertThat(Consistency.parse("STRONG")).isEqualTo(Consistency.STRONG);
        assertThatThrownBy(() -> Consistency.parse("linearizable")).isInstanceOf(ShardKvException.class)
                .hasMessageContaining("eventual, bounded, session, strong");
    }
}
