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
        assertThat(Precondition.fromHeaders("*", null)).isEqualTo(Precondition.LIVE);
        assertThat(Precondition.LIVE.ifMatch()).as("any live version is not a version").isNull();
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
        assertThat(Precondition.LIVE.holdsFor(LIVE_V3)).isTrue();
        assertThat(Precondition.LIVE.holdsFor(null)).isFalse();
        assertThat(Precondition.LIVE.holdsFor(TOMBSTONE_V4)).as("If-Match: * needs a live key").isFalse();
    }

    @Test
    void versionZeroMeansAbsentSoItIsNeverAnIfMatchVersion() {
        for (long notAVersion : new long[] {0, -1}) {
            assertThatThrownBy(() -> Precondition.ifMatch(notAVersion))
                    .isInstanceOfSatisfying(ShardKvException.class,
                            e -> assertThat(e.type()).isEqualTo(ProblemType.INVALID_PRECONDITION));
        }
        assertThatThrownBy(() -> new Precondition(3L, true, false)).isInstanceOf(ShardKvException.class);
        assertThatThrownBy(() -> new Precondition(null, true, true)).isInstanceOf(ShardKvException.class);
        assertThat(Precondition.LIVE.hasIfMatch()).isTrue();
        assertThat(Precondition.ifMatch(1).hasIfMatch()).isTrue();
        assertThat(Precondition.CREATE_ONLY.hasIfMatch()).isFalse();
    }
}
