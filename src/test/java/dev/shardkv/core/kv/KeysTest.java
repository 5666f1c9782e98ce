package dev.shardkv.core.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void acceptsUpTo1024Utf8Bytes() {
        assertThat(Keys.requireClientKey("k".repeat(1024))).hasSize(1024);
        assertThat(Keys.requireClientKey("€".repeat(341) + "k")).isNotNull(); // 341*3 + 1 = 1024 bytes
        assertThat(Keys.requireClientKey("user/42 with spaces & ünïcødé 😀")).isNotNull();
        refused("k".repeat(1025), ProblemType.INVALID_KEY, "1025 bytes");
        refused("€".repeat(342), ProblemType.INVALID_KEY, "1026 bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "line\nbreak", "tab\there", "del\u007f", "c1\u0085", "\u001b[31m"})
    void refusesControlCharacters(String key) {
        refused(key, ProblemType.INVALID_KEY, "control characters");
    }

    @Test
    void refusesEmptyMalformedAndReservedKeys() {
        refused("", ProblemType.INVALID_KEY, "must not be empty");
        refused(null, ProblemType.INVALID_KEY, "must not be empty");
        refused("bad\uD800", ProblemType.INVALID_KEY, "unpaired surrogate");
        refused("\uDC00bad", ProblemType.INVALID_KEY, "unpaired surrogate");
        refused("__shardkv:heartbeat", ProblemType.RESERVED_KEY, "reserved");
        refused("__shardkvanything", ProblemType.RESERVED_KEY, "reserved");
        assertThat(Keys.requireClientKey("_shardkv")).isEqualTo("_shardkv");
    }

    private static void refused(String key, ProblemType type, String message) {
        assertThatThrownBy(() -> Keys.requireClientKey(key))
                .isInstanceOfSatisfying(ShardKvException.class, e -> assertThat(e.type()).isEqualTo(type))
                .hasMessageContaining(message);
    }
}
