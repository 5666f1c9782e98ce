package dev.shardkv.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The hot-shard signal over HTTP: reads skewed onto m-s (["m", "t")), with keys spread over its range, make
 * {@code /v1/replication} call m-s hot and suggest a split point strictly inside it, which the admin API takes;
 * the other shards are not hot. Load from other tests of this run ages out of the 10 s window, so the test
 * reads until the signal shows, within a bound.
 */
@QuarkusTest
class LoadApiTest {
    static final long WITHIN_MS = 25_000;

    @Inject
    FakeReshards reshards;

    @Test
    void aSkewedLoadMakesItsShardHotWithASplitPointInsideIt() {
        SplittableRandom random = new SplittableRandom(17);
        long deadline = System.currentTimeMillis() + WITHIN_MS;
        Map<String, Object> hot = null;
        int reads = 0;
        JsonPath last = null;
        while (hot == null) {
            for (int i = 0; i < 50; i++, reads++) {
                String key = "" + (char) ('m' + random.nextInt(7)) + (char) ('a' + random.nextInt(26)) + "-load-" + reads;
                given().when().get("/v1/kv/" + key).then().statusCode(404).header("X-Served-By",
                        org.hamcrest.Matchers.startsWith("m-s/"));
            }
            last = given().when().get("/v1/replication").then().statusCode(200).extract().jsonPath();
            Map<String, Object> load = load(last, "m-s");
            if (Boolean.TRUE.equals(load.get("hot")) && load.get("splitAt") != null) {
                hot = load;
            } else if (System.currentTimeMillis() > deadline) {
                fail("m-s not hot with a split point after %d reads: %s", reads, last.prettify());
            }
        }

        assertThat(((Number) hot.get("readsPerSecond")).doubleValue()).as("reads/s of m-s").isGreaterThanOrEqualTo(20);
        assertThat(hot.get("hotKey")).as("keys spread over the range: no hot key").isNull();
        String at = (String) hot.get("splitAt");
        assertThat(at).as("lower case").isEqualTo(at.toLowerCase(java.util.Locale.ROOT));
        assertThat(at.compareTo("m")).as("%s after the shard's start", at).isPositive();
        assertThat(at.compareTo("t")).as("%s before its end", at).isNegative();
        assertThat(at.charAt(0)).as("%s near the middle of m..s", at).isBetween('n', 'r');
        for (String other : List.of("a-l", "t-z")) {
            assertThat(load(last, other)).as(other).containsEntry("hot", false).containsEntry("splitAt", null)
                    .containsEntry("hotKey", null);
        }

        // The suggestion is a split the admin API takes as it is (with no operation left by another test).
        reshards.reset();
        try {
            var started = given().contentType("application/json").body(Map.of("shard", "m-s", "at", at))
                    .when().post("/v1/admin/splits");
            assertThat(started.statusCode()).as("split m-s at %s: %s", at, started.asString()).isEqualTo(202);
            given().when().delete("/v1/admin/operations/" + started.path("id")).then().statusCode(200);
        } finally {
            reshards.reset();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(JsonPath replication, String shard) {
        List<Map<String, Object>> shards = replication.getList("shards");
        Map<String, Object> load = (Map<String, Object>) shards.stream().filter(s -> shard.equals(s.get("shard")))
                .findFirst().orElseThrow().get("load");
        assertThat(load).containsKeys("reads", "writes", "throttles", "readsPerSecond", "writesPerSecond",
                "bytesPerSecond", "hot", "splitAt", "hotKey");
        return load;
    }
}
