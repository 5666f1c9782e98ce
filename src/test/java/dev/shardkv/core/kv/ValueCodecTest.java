package dev.shardkv.core.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ValueCodecTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `{ "a" : 1 , "b" : [ true , null ] }` | `{"a":1,"b":[true,null]}`
            `[1, 2.50, -3e2]`                      | `[1,2.50,-3E+2]`
            `"just a string"`                      | `"just a string"`
            `12345678901234567890123`              | `12345678901234567890123`
            `0.1000`                               | `0.1000`
            `true`                                 | `true`
            `null`                                 | `null`
            `  {"nested":{"deep":{"x":"ü😀"}}}  `  | `{"nested":{"deep":{"x":"ü😀"}}}`
            """)
    void anyJsonValueIsKeptAsCompactJsonWithNumbersExact(String body, String stored) {
        assertThat(ValueCodec.compact(body)).isEqualTo(stored);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"a\":1} trailing", "{'a':1}", "NaN", "[1,]", "{\"a\":1,\"a\":2}", "undefined", "\"unterminated"})
    void refusesWhatIsNotExactlyOneJsonValue(String body) {
        assertThatThrownBy(() -> ValueCodec.compact(body))
                .isInstanceOfSatisfying(ShardKvException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.INVALID_JSON));
    }

    @Test
    void refusesAnEmptyBody() {
        for (String body : new String[] {"", "   ", null}) {
            assertThatThrownBy(() -> ValueCodec.compact(body))
                    .isInstanceOfSatisfying(ShardKvException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.INVALID_JSON));
        }
    }

    @Test
    void theLimitCountsCompactUtf8Bytes() {
        int limit = ValueCodec.MAX_VALUE_BYTES;
        String exactly = "\"" + "x".repeat(limit - 2) + "\"";
        assertThat(ValueCodec.compact(exactly)).hasSize(limit);
        String padded = "   " + exactly + "\n\n"; // whitespace does not count
        assertThat(ValueCodec.compact(padded)).hasSize(limit);
        String over = "\"" + "x".repeat(limit - 1) + "\"";
        assertThatThrownBy(() -> ValueCodec.compact(over))
                .isInstanceOfSatisfying(ShardKvException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.VALUE_TOO_LARGE);
                    assertThat(e.fields()).containsEntry("bytes", limit + 1).containsEntry("limit", limit);
                });
        String multibyte = "\"" + "€".repeat(limit / 3) + "\""; // 3 bytes each: over the limit in bytes, not in chars
        assertThatThrownBy(() -> ValueCodec.compact(multibyte))
                .isInstanceOfSatisfying(ShardKvException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.VALUE_TOO_LARGE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":\"\\ud800\"}", "\"\\udc00\"", "[\"x\\ud83d\"]", "{\"\\ud800k\":1}", "\"\\ude00\\ud83d\""})
    void refusesLoneSurrogatesWhichHaveNoUtf8Form(String body) {
        assertThatThrownBy(() -> ValueCodec.compact(body))
                .isInstanceOfSatisfying(ShardKvException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.INVALID_JSON));
    }

    @Test
    void keepsEscapedSurrogatePairs() {
        assertThat(ValueCodec.compact("{\"a\":\"\\ud83d\\ude00\"}")).isEqualTo("{\"a\":\"😀\"}");
    }

    @Test
    void tellsStoredValuesThatCannotBeSentFromThoseThatCan() {
        assertThat(ValueCodec.decodable("{\"a\":[1,2]}")).isTrue();
        assertThat(ValueCodec.decodable("\"😀\"")).isTrue();
        assertThat(ValueCodec.decodable("{\"a\":\"\ud800\"}")).isFalse(); // a raw lone surrogate
        assertThat(ValueCodec.decodable("not json")).isFalse();
        assertThat(ValueCodec.decodable("{\"a\":1} {}")).isFalse();
        assertThat(ValueCodec.decodable("")).isFalse();
        assertThat(ValueCodec.decodable(null)).isFalse();
        assertThat(ValueCodec.treeOrNull("{\"a\":1}").get("a").intValue()).isEqualTo(1);
        assertThat(ValueCodec.treeOrNull("{\"a\":")).isNull();
    }
}
