package dev.shardkv.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.embedded.EmbeddedCluster;
import dev.shardkv.embedded.testing.Tables;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What the local server adds around the API: health, Prometheus metrics under the CloudWatch names,
 * and paths taken from the raw request line (the API's own tests are in functions/api).
 */
@QuarkusTest
class LocalServerTest {
    static final Duration REPLICATION_BOUND = Duration.ofSeconds(5);

    @Inject
    LocalRuntime runtime;

    EmbeddedCluster cluster() {
        return runtime.cluster();
    }

    /** Paths are percent-encoded here, once; RestAssured must not encode them again. */
    static io.restassured.specification.RequestSpecification given() {
        return io.restassured.RestAssured.given().urlEncodingEnabled(false);
    }

    @Test
    void healthIsUp() {
        given().when().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }

    /** Without tokens the admin routes are open too, and reach the cluster's splits and merges. */
    @Test
    void theAdminRoutesReachTheClusterReshards() {
        given().when().get("/v1/admin/operations").then().statusCode(200).contentType("application/json");
    }

    @Test
    void prometheusMetricsUseTheSameNamesAsCloudWatch() throws Exception {
        given().contentType("application/json").body("1").when().put("/v1/kv/metered").then().statusCode(201);
        given().queryParam("consistency", "strong").when().get("/v1/kv/metered").then().statusCode(200);
        Tables.awaitVersion(cluster(), "test-m-s-replica-2", "metered", 1, REPLICATION_BOUND);
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String series : new String[] {
                "ReplicationDelayMs_count{replica=\"replica-1\",shard=\"m-s\"}",
                "ReplicationDelayMs{replica=\"replica-2\",shard=\"m-s\",quantile=\"0.99\"}",
                "ReplicaLagMs{replica=\"replica-2\",shard=\"m-s\"}",
                "ReplicaDivergentItems{replica=\"replica-1\",shard=\"a-l\"} 0.0",
                "ReplicatedRecords_total{replica=\"replica-2\",shard=\"m-s\"}",
                "ReplicationErrors_total{replica=\"replica-1\",shard=\"t-z\"} 0.0",
                "HeartbeatAgeMs{replica=\"replica-1\",shard=\"a-l\"}",
                "Reads_total{shard=\"m-s\"}",
                "Writes_total{shard=\"m-s\"}",
                "Throttles_total{shard=\"m-s\"}",
                "WritesThrottled_total{shard=\"t-z\"}",
                "WriteThrottleActive{shard=\"t-z\"}",
                "ShardReadsPerSecond{shard=\"m-s\"}",
                "ShardWritesPerSecond{shard=\"m-s\"}",
                "ShardHot{shard=\"a-l\"} 0.0"}) {
            assertThat(metrics).contains(series);
        }
    }


    @Test
    void aKeyIsExactlyThePercentDecodedUtf8OfItsPath() throws Exception {
        // U+FFFD written as its own UTF-8 is a key like any other; %FF and %FE are not UTF-8 and never become it.
        given().contentType("application/json").body("1").when().put("/v1/kv/alias%EF%BF%BD").then().statusCode(201);
        given().contentType("application/json").body("2").when().put("/v1/kv/alias%FF").then().statusCode(400);
        given().contentType("application/json").body("3").when().put("/v1/kv/alias%FE").then().statusCode(400);
        assertThat(Tables.leaders(cluster())).filteredOn(i -> i.key().startsWith("alias"))
                .extracting(StoredItem::key, StoredItem::version).containsExactly(org.assertj.core.groups.Tuple.tuple("alias\uFFFD", 1L));

        // ";x=1" is part of the key, not a dropped matrix parameter
        given().contentType("application/json").body("1").when().put("/v1/kv/semi;x=1").then().statusCode(201)
                .body("key", equalTo("semi;x=1"));
        given().queryParam("consistency", "strong").when().get("/v1/kv/semi").then().statusCode(404);
        given().queryParam("consistency", "strong").when().get("/v1/kv/semi;x=1").then().statusCode(200)
                .body("key", equalTo("semi;x=1"));

        // raw UTF-8 bytes in the path name the same key as their percent-encoding
        byte[] head = ("PUT /v1/kv/raw\u00c3\u00a9 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1\r\n\r\n1").getBytes(StandardCharsets.ISO_8859_1);
        RawHttp.Answer raw = RawHttp.send(head, null);
        assertThat(raw.status()).as(raw.body()).isEqualTo(201);
        assertThat(raw.body()).contains("\"key\":\"rawé\"");
        given().contentType("application/json").body("2").when().put("/v1/kv/raw%C3%A9").then().statusCode(200)
                .body("version", equalTo(2));
    }


    @Test
    void loadCountersKeepCountingAfterAGarbageCollection() throws Exception {
        double before = readsOfAl();
        for (int i = 0; i < 3; i++) {
            System.gc(); // meters hold what they read weakly: nothing they read may be collectable
            Thread.sleep(50);
        }
        for (int i = 0; i < 5; i++) {
            given().queryParam("consistency", "strong").when().get("/v1/kv/gc-counted").then().statusCode(404);
        }
        assertThat(readsOfAl()).isGreaterThanOrEqualTo(before + 5);
    }


    private static double readsOfAl() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Reads_total\\{shard=\"a-l\"\\} ([0-9.E]+)").matcher(metrics);
        assertThat(m.find()).as("Reads_total for a-l").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
