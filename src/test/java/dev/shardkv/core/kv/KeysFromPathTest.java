package dev.shardkv.core.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A key is exactly the percent-decoded UTF-8 of its path text: no two paths ever name one key. */
class KeysFromPathTest {

    @Test
    void decodesPercentEscapedUtf8Exactly() {
        assertThat(Keys.fromPath("alice")).isEqualTo("alice");
        assertThat(Keys.fromPath("%C3%A9t%C3%A9")).isEqualTo("été");
        assertThat(Keys.fromPath("a%2Fb")).isEqualTo("a/b");
        assertThat(Keys.fromPath("a%20b+c")).isEqualTo("a b+c"); // '+' is a plus in a path, not a space
        assertThat(Keys.fromPath("%F0%9F%98%80")).isEqualTo("😀");
        assertThat(Keys.fromPath("alias%EF%BF%BD")).isEqualTo("alias\uFFFD"); // U+FFFD itself is a fine key
    }

    @Test
    void keepsSemicolonParametersAsPartOfTheKey() {
        assertThat(Keys.fromPath("semi;x=1")).isEqualTo("semi;x=1").isNotEqualTo(Keys.fromPath("semi"));
    }

    @Test
    void readsRawNonAsciiAsTheUtf8BytesTheClientSent() {
        // The HTTP layer hands raw request-line bytes over as ISO-8859-1 characters.
        String rawUtf8 = new String("é".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(Keys.fromPath("raw" + rawUtf8)).isEqualTo("rawé");
        refused("raw\u00e9"); // one Latin-1 byte is not UTF-8
    }

    @ParameterizedTest
    @ValueSource(strings = {"alias%FF", "alias%FE", "%C0%AF", "%ED%A0%80", "%E2%82", "bad%zz", "bad%4", "bad%"})
    void refusesInvalidUtf8AndBadEscapes(String raw) {
        refused(raw);
    }

    @Test
    void differentInvalidPathsNeverCollapseIntoTheReplacementCharacterKey() {
        refused("alias%FF");
        refused("alias%FE");
        assertThat(Keys.fromPath("alias%EF%BF%BD")).isEqualTo("alias\uFFFD");
    }

    private static void refused(String raw) {
        assertThatThrownBy(() -> Keys.fromPath(raw)).isInstanceOf(ShardKvException.class)
                .satisfies(e -> assertThat(((ShardKvException) e).type()).isEqualTo(ProblemType.INVALID_KEY));
    }
}
