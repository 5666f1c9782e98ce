package dev.shardkv.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.embedded.testing.Tables;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Batch reads and transactions over HTTP: ACID on the leaders, BASE on the replicas. */
@QuarkusTest
class TxApiTest {
    @Inject
    EmbeddedApi runtime;

    static Response tx(String body) {
        return given().contentType("application/json").body(body).when().post("/v1/tx");
    }

    static Response batchGet(String body) {
        // The ':' stays as it is; RestAssured would otherwise percent-encode it.
        return given().urlEncodingEnabled(false).contentType("application/json").body(body).when().post("/v1/kv:batchGet");
    }

    @Test
    void aSingleShardAndACrossShardTransactionCommitWithVersionsAdvancingByOne() {
        tx("{\"operations\":[{\"op\":\"put\",\"key\":\"acct-1\",\"value\":{\"bal\":10}},"
                + "{\"op\":\"put\",\"key\":\"acct-2\",\"value\":{\"bal\":20}}]}")
                .then().statusCode(200)
                .body("committed", equalTo(true))
                .body("shards", equalTo(List.of("a-l")))
                .body("results.version", equalTo(List.of(1, 1)))
                .header("X-Consistency-Token", matchesPattern("v1\\..+"));
        tx("{\"operations\":[{\"op\":\"put\",\"key\":\"acct-1\",\"value\":{\"bal\":5},\"version\":1},"
                + "{\"op\":\"put\",\"key\":\"zacct-9\",\"value\":{\"bal\":5},\"version\":0},"
                + "{\"op\":\"check\",\"key\":\"acct-2\",\"version\":1},"
                + "{\"op\":\"delete\",\"key\":\"acct-2\"}]}")
                .then().statusCode(400); // acct-2 twice
        tx("{\"operations\":[{\"op\":\"put\",\"key\":\"acct-1\",\"value\":{\"bal\":5},\"version\":1},"
                + "{\"op\":\"put\",\"key\":\"zacct-9\",\"value\":{\"bal\":5},\"version\":0},"
                + "{\"op\":\"delete\",\"key\":\"acct-2\",\"version\":1}]}")
                .then().statusCode(200)
                .body("shards", equalTo(List.of("a-l", "t-z")))
                .body("results.version", equalTo(List.of(2, 1, 2)));
        given().queryParam("consistency", "strong").when().get("/v1/kv/acct-1").then().statusCode(200)
                .body("value.bal", equalTo(5)).body("version", equalTo(2));
        given().queryParam("consistency", "strong").when().get("/v1/kv/acct-2").then().statusCode(404);
        given().queryParam("consistency", "strong").when().get("/v1/kv/zacct-9").then().statusCode(200)
                .body("version", equalTo(1));
    }

    @Test
    void aFailedConditionIs409NamingTheOperationAndNothingIsWrittenAnywhere() {
        tx("{\"operations\":[{\"op\":\"put\",\"key\":\"keep-a\",\"value\":1}]}").then().statusCode(200);
        List<StoredItem> before = Tables.leaders(runtime.cluster());
        tx("{\"operations\":[{\"op\":\"put\",\"key\":\"fresh-b\",\"value\":1},"
                + "{\"op\":\"put\",\"key\":\"keep-a\",\"value\":2,\"version\":7},"
                + "{\"op\":\"check\",\"key\":\"ytx-c\",\"version\":3},"
                + "{\"op\":\"put\",\"key\":\"zfresh-d\",\"value\":1,\"version\":0}]}")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:shardkv:problem:conflict"))
                .body("failed.index", equalTo(List.of(1, 2)))
                .body("failed[0].currentVersion", equalTo(1))
                .body("failed[0].key", equalTo("keep-a"))
                .body("failed[1].reason", equalTo("the key does not exist"));
        assertThat(Tables.leaders(runtime.cluster())).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void badTransactionsAreRefused() {
        String big = "\"" + "x".repeat(250_000) + "\"";
        StringBuilder huge = new StringBuilder("{\"operations\":[");
        for (int i = 0; i < 17; i++) {
            huge.append(i == 0 ? "" : ",").append("{\"op\":\"put\",\"key\":\"huge-").append(i).append("\",\"value\":").append(big).append("}");
        }
        huge.append("]}");
        StringBuilder many = new StringBuilder("{\"operations\":[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("{\"op\":\"put\",\"key\":\"many-").append(i).append("\",\"value\":1}");
        }
        many.append("]}");
        Map<String, Integer> cases = Map.of(
                "{\"operations\":[]}", 400,
                many.toString(), 400,
                "{\"operations\":[{\"op\":\"check\",\"key\":\"a\"}]}", 400,
                "{\"operations\":[{\"op\":\"put\",\"key\":\"a\"}]}", 400,
                "{\"operations\":[{\"op\":\"merge\",\"key\":\"a\",\"value\":1}]}", 400,
                "{\"operations\":[{\"op\":\"put\",\"key\":\"__shardkv:x\",\"value\":1}]}", 400,
                "{\"ops\":[]}", 400,
                "{\"operations\":[{\"op\":\"put\",\"key\":\"a\",\"value\":1},{\"op\":\"delete\",\"key\":\"a\"}]}", 400,
                huge.toString(), 413,
                "{\"operations\":[{\"op\":\"put\",\"key\":\"a\",\"value\":" + "\"" + "x".repeat(300_000) + "\"" + "}]}", 413);
        List<StoredItem> before = Tables.leaders(runtime.cluster());
        cases.forEach((body, status) -> tx(body).then().statusCode(status).contentType("application/problem+json"));
        assertThat(Tables.leaders(runtime.cluster())).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void aTransactionStoresEachValueExactlyAsAPutDoes() {
        String value = "{\"exact\":1.50,\"big\":18446744073709551617,\"tiny\":1e-400,\"neg\":-0.0,"
                + "\"text\":\"\\u00e9\\ud83d\\ude00\",\"none\":null}";
        tx("{\"operations\":[{\"op\":\"put\",\"key\":\"exact-tx\",\"value\":" + value + "},"
                + "{\"op\":\"put\",\"key\":\"exact-null\",\"value\":null}]}").then().statusCode(200);
        given().contentType("application/json").body(value).when().put("/v1/kv/exact-put").then().statusCode(201);
        String viaTx = given().queryParam("consistency", "strong").when().get("/v1/kv/exact-tx")
                .then().statusCode(200).extract().asString();
        String viaPut = given().queryParam("consistency", "strong").when().get("/v1/kv/exact-put")
                .then().statusCode(200).extract().asString();
        assertThat(viaTx).contains("1.50", "18446744073709551617").isEqualTo(viaPut.replace("exact-put", "exact-tx"));
        given().queryParam("consistency", "strong").when().get("/v1/kv/exact-null").then().statusCode(200)
                .body(equalTo("{\"key\":\"exact-null\",\"value\":null,\"version\":1}"));
    }

    @Test
    void aMisshapenFieldIsNamedByWhereItIs() {
        tx("{\"operations\":[{\"op\":\"put\",\"key\":\"ok\",\"value\":1},{\"op\":\"put\",\"key\":7,\"value\":1}]}")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:shardkv:problem:invalid-request"))
                .body("detail", equalTo("operations[1].key must be a string; got 7."))
                .body("index", equalTo(1));
        tx("{\"operations\":[{\"op\":\"put\",\"key\":\"ok\",\"value\":1},{\"op\":\"check\",\"key\":\"k\",\"version\":1.5}]}")
                .then().statusCode(400)
                .body("detail", equalTo("operations[1].version must be a whole number from 0 to 9223372036854775807; got 1.5."))
                .body("index", equalTo(1)).body("minimum", equalTo(0));
        tx("{\"operations\":[{\"key\":\"k\",\"value\":1}]}").then().statusCode(400)
                .body("detail", equalTo("operations[0] needs \"op\" (put, delete, check) and \"key\" as strings."))
                .body("index", equalTo(0));
        tx("{\"operations\":[{\"op\":\"merge\",\"key\":\"k\",\"value\":1}]}").then().statusCode(400)
                .body("detail", equalTo("op must be put, delete or check; got \"merge\".")).body("index", equalTo(0));
        batchGet("{\"keys\":[\"a\",2]}").then().statusCode(400)
                .body("detail", equalTo("keys[1] must be a string; got 2.")).body("index", equalTo(1));
        batchGet("{\"keys\":\"a\"}").then().statusCode(400).body("detail", equalTo("Send {\"keys\": [\"k1\", \"k2\", ...]}."));
    }

    @Test
    void batchGetReadsManyKeysWithTheConsistencyOfASingleGet() throws Exception {
        tx("{\"operations\":[{\"op\":\"put\",\"key\":\"bg-a\",\"value\":1},{\"op\":\"put\",\"key\":\"nbg-m\",\"value\":2},"
                + "{\"op\":\"put\",\"key\":\"ubg-t\",\"value\":3}]}").then().statusCode(200);
        batchGet("{\"keys\":[\"bg-a\",\"nbg-m\",\"ubg-t\",\"bg-absent\"],\"consistency\":\"strong\"}")
                .then().statusCode(200)
                .body("results.key", equalTo(List.of("bg-a", "nbg-m", "ubg-t", "bg-absent")))
                .body("results.found", equalTo(List.of(true, true, true, false)))
                .body("results.value", equalTo(java.util.Arrays.asList(1, 2, 3, null)))
                .body("results.servedBy", equalTo(List.of("a-l/leader", "m-s/leader", "t-z/leader", "a-l/leader")));
        for (String[] k : new String[][] {{"test-a-l-replica-1", "bg-a"}, {"test-a-l-replica-2", "bg-a"},
                {"test-m-s-replica-1", "nbg-m"}, {"test-m-s-replica-2", "nbg-m"}, {"test-t-z-replica-1", "ubg-t"},
                {"test-t-z-replica-2", "ubg-t"}}) {
            Tables.awaitVersion(runtime.cluster(), k[0], k[1], 1, Duration.ofSeconds(5));
        }
        Thread.sleep(300);
        Response eventual = batchGet("{\"keys\":[\"bg-a\",\"nbg-m\",\"ubg-t\"]}");
        eventual.then().statusCode(200).body("results.found", equalTo(List.of(true, true, true)));
        assertThat(eventual.<List<String>>path("results.servedBy")).allMatch(s -> s.matches("(a-l|m-s|t-z)/replica-[12]"));
        StringBuilder tooMany = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < 101; i++) {
            tooMany.append(i == 0 ? "" : ",").append("\"k").append(i).append("\"");
        }
        batchGet(tooMany.append("]}").toString()).then().statusCode(400);
        batchGet("{\"keys\":[\"ok\",\"__shardkv:no\"]}").then().statusCode(400);
        batchGet("{\"keys\":\"bg-a\"}").then().statusCode(400);
        batchGet("{\"keys\":[\"bg-a\"],\"consistency\":\"bounded\"}").then().statusCode(400);
    }

    @Test
    void leadersAreAtomicAndIsolatedWhileReplicasShowEachShardsPartWhenItArrives() throws Exception {
        tx("{\"operations\":[{\"op\":\"put\",\"key\":\"base-a\",\"value\":0},{\"op\":\"put\",\"key\":\"tbase\",\"value\":0}]}")
                .then().statusCode(200);
        for (String table : List.of("test-t-z-replica-1", "test-t-z-replica-2")) {
            Tables.awaitVersion(runtime.cluster(), table, "tbase", 1, Duration.ofSeconds(5));
        }
        // BASE: with t-z's replicator stopped, a-l's part of the next transaction reaches a-l's replicas
        // while t-z's replicas still hold the old value.
        runtime.cluster().pump("t-z").pause();
        try {
            Thread.sleep(200);
            tx("{\"operations\":[{\"op\":\"put\",\"key\":\"base-a\",\"value\":1},{\"op\":\"put\",\"key\":\"tbase\",\"value\":1}]}")
                    .then().statusCode(200);
            batchGet("{\"keys\":[\"base-a\",\"tbase\"],\"consistency\":\"strong\"}")
                    .then().statusCode(200).body("results.value", equalTo(List.of(1, 1)));
            for (String table : List.of("test-a-l-replica-1", "test-a-l-replica-2")) {
                assertThat(Tables.awaitVersion(runtime.cluster(), table, "base-a", 2, Duration.ofSeconds(5)).value()).isEqualTo("1");
            }
            for (String table : List.of("test-t-z-replica-1", "test-t-z-replica-2")) {
                assertThat(Tables.item(runtime.cluster(), table, "tbase").value()).as("t-z's part not applied yet").isEqualTo("0");
            }
        } finally {
            runtime.cluster().pump("t-z").resume();
        }
        for (String table : List.of("test-t-z-replica-1", "test-t-z-replica-2")) {
            assertThat(Tables.awaitVersion(runtime.cluster(), table, "tbase", 2, Duration.ofSeconds(5)).value()).isEqualTo("1");
        }

        // ACID: while transactions move both keys together, a strong batch read never sees half of one.
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger torn = new AtomicInteger();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                List<Integer> values = batchGet("{\"keys\":[\"base-a\",\"tbase\"],\"consistency\":\"strong\"}")
                        .then().statusCode(200).extract().path("results.value");
                reads.incrementAndGet();
                if (!values.get(0).equals(values.get(1))) {
                    torn.incrementAndGet();
                }
            }
        });
        for (int i = 2; i <= 40; i++) {
            tx("{\"operations\":[{\"op\":\"put\",\"key\":\"base-a\",\"value\":" + i + "},{\"op\":\"put\",\"key\":\"tbase\",\"value\":" + i + "}]}")
                    .then().statusCode(200);
        }
        done.set(true);
        reader.join(10_000);
        assertThat(reads.get()).as("strong reads made while transactions ran").isGreaterThan(10);
        assertThat(torn.get()).as("strong reads that saw half a transaction").isZero();
    }
}
