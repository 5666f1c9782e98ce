package dev.shardkv.core.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.ValueCodec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FilterTest {
    static final String VALUE = "{\"plan\":\"gold\",\"score\":42.5,\"stats\":{\"visits\":7},\"tags\":[1],\"on\":true}";

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            plan         | eq  | gold    | true
            plan         | eq  | "gold"  | true
            plan         | ne  | gold    | false
            plan         | gt  | free    | true
            score        | gt  | 42      | true
            score        | gte | 42.50   | true
            score        | lt  | 42.5    | false
            score        | eq  | 42.5    | true
            stats.visits | lte | 7       | true
            stats.visits | gt  | 7       | false
            missing      | eq  | 1       | false
            missing      | ne  | 1       | true
            on           | eq  | true    | true
            score        | gt  | "abc"   | false
            stats.none.x | eq  | 1       | false
            """)
    void comparesNumbersAsNumbersAndStringsAsStrings(String field, String op, String value, boolean matches) {
        assertThat(new Filter(field, Filter.Op.parse(op), value).matches(ValueCodec.tree(VALUE))).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".a", "a.", "a..b"})
    void refusesBadFieldPaths(String field) {
        assertThatThrownBy(() -> new Filter(field, Filter.Op.EQ, "1")).isInstanceOf(ShardKvException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}", "[1,2]"})
    void refusesNonScalarValues(String value) {
        assertThatThrownBy(() -> new Filter("a", Filter.Op.EQ, value)).isInstanceOf(ShardKvException.class)
                .hasMessageContaining("scalar");
    }
}
