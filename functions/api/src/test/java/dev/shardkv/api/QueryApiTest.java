package dev.shardkv.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scatter-gather over HTTP: count, top, paginated scan, partial answers, limits. */
@QuarkusTest
class QueryApiTest {
    @Inject
    FaultInjection faults;

    static void put(String key, String json) {
        given().contentType("application/json").body(json).when().put("/v1/kv/" + key)
                .then().statusCode(org.hamcrest.Matchers.isOneOf(200, 201));
    }

    @Test
    void countsStronglyOnLeadersAndEventuallyOnReplicas() throws Exception {
        for (int i = 0; i < 30; i++) {
            put("qc-" + i, "{\"i\":" + i + "}");
        }
        given().contentType("application/json").body("1").when().put("/v1/kv/qc-gone");
        given().when().delete("/v1/kv/qc-gone").then().statusCode(204);
        given().queryParam("prefix", "qc-").queryParam("consistency", "strong")
                .when().get("/v1/query/count")
                .then().statusCode(200)
                .body("count", equalTo(30))
                .body("partial", equalTo(false))
                .body("items.size()", equalTo(0))
                .body("shards.shard", equalTo(List.of("a-l", "m-s", "t-z")))
                .body("shards.status", equalTo(List.of("ok", "ok", "ok")))
                .body("shards.find { it.shard == 'm-s' }.count", equalTo(30))
                .body("shards[0].servedBy", equalTo("a-l/leader"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int eventual;
        do {
            eventual = given().queryParam("prefix", "qc-").when().get("/v1/query/count").then().statusCode(200)
                    .extract().path("count");
        } while (eventual != 30 && System.nanoTime() < deadline);
        assertThat(eventual).as("replicas converge to the leaders' count").isEqualTo(30);
    }

    @Test
    void topRanksANumericFieldAcrossShards() {
        String[] keys = {"alpha-top", "bravo-top", "mike-top", "oscar-top", "tango-top", "zulu-top", "echo-top"};
        int[] scores = {5, 70, 30, 90, 10, 60, 80};
        for (int i = 0; i < keys.length; i++) {
            put(keys[i], "{\"stats\":{\"qtop\":" + scores[i] + "},\"name\":\"" + keys[i] + "\"}");
        }
        put("nonnumeric-top", "{\"stats\":{\"qtop\":\"high\"}}");
        given().queryParam("field", "stats.qtop").queryParam("n", 4).queryParam("consistency", "strong")
                .when().get("/v1/query/top")
                .then().statusCode(200)
                .body("items.key", equalTo(List.of("oscar-top", "echo-top", "bravo-top", "zulu-top")))
                .body("items[0].value.stats.qtop", equalTo(90))
                .body("items[0].version", equalTo(1))
                .body("partial", equalTo(false));
    }

    @Test
    void scanPagesThroughEveryShardWithACursorWithoutLossOrDuplicates() {
        Set<String> gold = new HashSet<>();
        String[] starts = {"b", "d", "k", "n", "r", "u", "x"};
        for (int i = 0; i < 28; i++) {
            String key = starts[i % starts.length] + "-scan-" + i;
            boolean isGold = i % 3 != 0;
            put(key, "{\"scanplan\":\"" + (isGold ? "gold" : "free") + "\",\"i\":" + i + "}");
            if (isGold) {
                gold.add(key);
            }
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().queryParam("field", "scanplan").queryParam("op", "eq").queryParam("value", "gold")
                    .queryParam("limit", 4).queryParam("consistency", "strong");
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            Response page = request.when().get("/v1/query/scan");
            page.then().statusCode(200).body("partial", equalTo(false));
            List<String> keys = page.path("items.key");
            assertThat(keys.size()).isLessThanOrEqualTo(4);
            seen.addAll(keys);
            cursor = page.path("cursor");
            pages++;
        } while (cursor != null && pages < 50);
        assertThat(seen).as("every match exactly once").doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(gold);
        assertThat(pages).isGreaterThanOrEqualTo(gold.size() / 4);
    }

    @Test
    void aShardThatMissesTheDeadlineMakesTheAnswerPartialNeverASilentUndercount() {
        for (int i = 0; i < 5; i++) {
            put("tpart-" + i, "1");
        }
        faults.shards().slowReads("t-z", Duration.ofMillis(1_500));
        try {
            long started = System.nanoTime();
            given().queryParam("timeoutMs", 400)
                    .when().get("/v1/query/count")
                    .then().statusCode(200)
                    .body("partial", equalTo(true))
                    .body("missing", equalTo(List.of("t-z")))
                    .body("shards.find { it.shard == 't-z' }.status", equalTo("timeout"))
                    .body("shards.find { it.shard == 'a-l' }.status", equalTo("ok"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the deadline holds").isLessThan(Duration.ofMillis(1_200));
        } finally {
            faults.shards().clear();
        }
        given().queryParam("timeoutMs", 5_000).queryParam("prefix", "tpart-")
                .when().get("/v1/query/count")
                .then().statusCode(200).body("partial", equalTo(false));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/v1/query/top?field=score&n=1001",
            "/v1/query/top?field=score&n=0",
            "/v1/query/top?n=3",
            "/v1/query/top?field=..bad&n=3",
            "/v1/query/scan?limit=0",
            "/v1/query/scan?limit=1001",
            "/v1/query/scan?field=plan&op=eq",
            "/v1/query/scan?field=plan&op=like&value=x",
            "/v1/query/scan?cursor=not-a-cursor",
            "/v1/query/count?timeoutMs=0",
            "/v1/query/count?timeoutMs=999999",
            "/v1/query/count?timeoutMs=soon",
            "/v1/query/count?consistency=bounded"})
    void refusesQueriesBeyondTheLimits(String path) {
        given().urlEncodingEnabled(false).when().get(path)
                .then().statusCode(400).contentType("application/problem+json");
    }


    @Test
    void aPageAtTheDocumentedMaximumAnswers() {
        for (String first : List.of("b", "n", "u")) {
            for (int i = 0; i < 150; i++) {
                put(first + "-max-" + i, "{\"i\":" + i + ",\"pad\":\"" + "p".repeat(200) + "\"}");
            }
        }
        int seen = 0;
        String cursor = null;
        do {
            Response page = given().queryParam("limit", "1000").queryParam("consistency", "strong")
                    .queryParam("cursor", cursor == null ? "" : cursor)
                    .when().get("/v1/query/scan").then().statusCode(200).extract().response();
            List<String> keys = page.path("items.key");
            assertThat(keys.size()).isLessThanOrEqualTo(1000);
            seen += (int) keys.stream().filter(k -> k.contains("-max-")).count();
            cursor = page.path("cursor");
        } while (cursor != null);
        assertThat(seen).isEqualTo(450);
    }
}
