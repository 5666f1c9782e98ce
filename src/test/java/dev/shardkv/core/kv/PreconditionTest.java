package dev.shardkv.core.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PreconditionTest {
    static final StoredItem LIVE_V3 = StoredItem.live("k", "1", 3, 10);
    static final StoredItem TOMBSTONE_V4 = StoredItem.tombstone("k", 4, 11, 99);

    @Test
    void parsesEntityTagsAndStars() {
        assertThat(Precondition.fromHeaders("\"3\"", null)).isEqualTo(Precondition.ifMatch(3));
        assertThat(Precondition.fromHeaders(" 3 ", null)).isEqualTo(Precondition.ifMatch(3));
        assertThat(Precondition.fromHeaders("*", null).ifMatch()).isZero();
        assertThat(Precondition.fromHeaders(null, "*")).isEqualTo(Precondition.CREATE_ONLY);
        assertThat(Precondition.fromHeaders(null, null)).isEqualTo(Precondition.NONE);
        assertThat(Precondition.fromHeaders("", " ")).isEqualTo(Precondition.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"abc\"", "W/\"3\"", "\"0\"", "-1", "\"3\", \"4\"", "\"", "99999999999999999999"})
    void refusesTagsThatAreNotOneVersion(String tag) {
        assertThatThrownBy(() -> Precondition.fromHeaders(tag, null))
                .isInstanceOfSatisfying(ShardKvException.class,
                        e -> assertThat(e.type()).isEqualTo(ProblemType.INVALID_PRECONDITION));
    }

    @Test
    void refusesBothHeadersAndOtherIfNoneMatchValues() {
        assertThatThrownBy(() -> Precondition.fromHeaders("\"1\"", "*")).isInstanceOf(ShardKvException.class);
        assertThatThrownBy(() -> Precondition.fromHeaders(null, "\"1\"")).isInstanceOf(ShardKvException.class);
    }

    @Test
    void holdsAsHttpSays() {
        assertThat(Precondition.NONE.holdsFor(null)).isTrue();
        assertThat(Precondition.CREATE_ONLY.holdsFor(null)).isTrue();
        assertThat(Precondition.CREATE_ONLY.holdsFor(TOMBSTONE_V4)).as("a deleted key can be created again").isTrue();
        assertThat(Precondition.CREATE_ONLY.holdsFor(LIVE_V3)).isFalse();
        assertThat(Precondition.ifMatch(3).holdsFor(LIVE_V3)).isTrue();
        assertThat(Precondition.ifMatch(2).holdsFor(LIVE_V3)).isFalse();
        assertThat(Precondition.ifMatch(4).holdsFor(TOMBSTONE_V4)).as("a tombstone matches no tag").isFalse();
        assertThat(new Precondition(0L, false).holdsFor(LIVE_V3)).isTrue();
        assertThat(new Precondition(0L, false).holdsFor(null)).isFalse();
    }
}
