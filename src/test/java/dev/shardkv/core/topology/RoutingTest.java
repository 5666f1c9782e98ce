package dev.shardkv.core.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RoutingTest {
    static final Topology RANGES = Topology.parse("""
            {"prefix":"kv","routing":"range","shards":[
              {"id":"a-l","end":"m","replicas":2},
              {"id":"m-s","start":"m","end":"t","replicas":2},
              {"id":"t-z","start":"t","replicas":2}]}""");
    static final ShardMap MAP = ShardMap.initial(RANGES);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            a        | a-l
            l        | a-l
            lzzzzzz  | a-l
            L        | a-l
            m        | m-s
            M        | m-s
            Mango    | m-s
            s        | m-s
            szzzz    | m-s
            S        | m-s
            t        | t-z
            T        | t-z
            Tom      | t-z
            zebra    | t-z
            ZZZ      | t-z
            0        | a-l
            9lives   | a-l
            !bang    | a-l
            @home    | a-l
            _under   | a-l
            ~tilde   | t-z
            {brace   | t-z
            éclair   | t-z
            Émile    | t-z
            Ölaf     | t-z
            日本      | t-z
            😀smile  | t-z
            İstanbul | a-l
            """)
    void rangesAreHalfOpenOverTheLowerCasedKeyInCodePointOrder(String key, String shard) {
        assertThat(MAP.route(key).id()).isEqualTo(shard);
    }

    @Test
    void codePointOrderIsNotUtf16Order() {
        String privateUse = "\uE000";
        String emoji = "😀"; // U+1F600, a surrogate pair in UTF-16
        assertThat(privateUse.compareTo(emoji)).as("UTF-16 order puts the emoji first").isPositive();
        assertThat(RoutingKeys.compare(privateUse, emoji)).as("code point (and UTF-8 byte) order does not").isNegative();
        assertThat(RoutingKeys.compare("ab", "abc")).isNegative();
        assertThat(RoutingKeys.compare("abc", "abc")).isZero();
    }

    @Test
    void everyRoutingKeyHasExactlyOneShard() {
        for (String key : new String[] {"", "m", "l\uFFFF", "t", "s\uD83D\uDE00", "\u0000"}) {
            long owners = MAP.shards().stream().filter(s -> s.covers(key)).count();
            assertThat(owners).as(key).isEqualTo(1);
        }
    }
}
