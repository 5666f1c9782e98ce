package dev.shardkv.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.embedded.EmbeddedCluster;
import dev.shardkv.embedded.testing.Tables;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The REST API over HTTP against the embedded runtime, checked on the tables themselves. */
@QuarkusTest
class KvApiTest {
    static final Duration REPLICATION_BOUND = Duration.ofSeconds(5);

    @Inject
    EmbeddedApi runtime;

    EmbeddedCluster cluster() {
        return runtime.cluster();
    }

    /** Paths are percent-encoded here, once; RestAssured must not encode them again. */
    static io.restassured.specification.RequestSpecification given() {
        return io.restassured.RestAssured.given().urlEncodingEnabled(false);
    }

    static String path(String key) {
        return "/v1/kv/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            apple         | a-l
            Lemon         | a-l
            lzzz          | a-l
            0-zero        | a-l
            !bang         | a-l
            m             | m-s
            Mango         | m-s
            s~            | m-s
            t             | t-z
            Tomato        | t-z
            ~tilde        | t-z
            éclair        | t-z
            日本          | t-z
            with space    | t-z
            slash/inside  | m-s
            """)
    void everyKeyLandsOnItsShardsLeaderAndReachesAllItsReplicas(String key, String shard) throws Exception {
        int version = given().contentType("application/json").body("{\"key\":\"" + key + "\"}")
                .when().put(path(key))
                .then().statusCode(201)
                .header("X-Shard", shard)
                .header("X-Consistency-Token", matchesPattern("v1\\..+"))
                .extract().path("version");
        for (ShardEntry s : cluster().shardMap().shards()) {
            StoredItem onLeader = Tables.item(cluster(), s.leader(), key);
            if (s.id().equals(shard)) {
                assertThat(onLeader).as("on the leader of %s", shard).isNotNull();
                assertThat(onLeader.version()).isEqualTo(version);
                for (String replica : s.replicas()) {
                    StoredItem copy = Tables.awaitVersion(cluster(), replica, key, version, REPLICATION_BOUND);
                    assertThat(copy).isEqualTo(onLeader);
                }
            } else {
                assertThat(onLeader).as("not on the leader of %s", s.id()).isNull();
                for (String replica : s.replicas()) {
                    assertThat(Tables.item(cluster(), replica, key)).isNull();
                }
            }
        }
    }

    @Test
    void aKeyOfExactly1024BytesIsAccepted() {
        String key = "€".repeat(341) + "k";
        given().contentType("application/json").body("1").when().put(path(key)).then().statusCode(201);
        given().queryParam("consistency", "strong").when().get(path(key)).then().statusCode(200).body(equalTo("{\"key\":\"" + key + "\",\"value\":1,\"version\":1}"));
    }

    @Test
    void strongReadsSeeEveryWriteAtOnce() {
        for (int i = 1; i <= 30; i++) {
            given().contentType("application/json").body("{\"n\":" + i + "}").when().put("/v1/kv/counter").then()
                    .statusCode(i == 1 ? 201 : 200).header("ETag", "\"" + i + "\"");
            given().queryParam("consistency", "strong").when().get("/v1/kv/counter").then()
                    .statusCode(200)
                    .header("X-Served-By", "a-l/leader")
                    .header("X-Replica-Lag-Ms", "0")
                    .header("ETag", "\"" + i + "\"")
                    .body("value.n", equalTo(i))
                    .body("version", equalTo(i));
        }
    }

    @Test
    void eventualReadsAreServedByAReplicaAndSayHowFarBehind() throws Exception {
        given().contentType("application/json").body("[1,2,3]").when().put("/v1/kv/rhubarb").then().statusCode(201);
        ShardEntry shard = cluster().shardMap().shard("m-s").orElseThrow();
        for (String replica : shard.replicas()) {
            Tables.awaitVersion(cluster(), replica, "rhubarb", 1, REPLICATION_BOUND);
        }
        Response r = given().when().get("/v1/kv/rhubarb");
        r.then().statusCode(200)
                .header("X-Served-By", matchesPattern("m-s/replica-[12]"))
                .header("X-Replica-Lag-Ms", matchesPattern("\\d+"))
                .body("value", equalTo(java.util.List.of(1, 2, 3)));
        given().header("X-Consistency", "eventual").when().get("/v1/kv/rhubarb").then().statusCode(200);
        String lag = given().header("X-Consistency", "bounded").header("X-Max-Lag-Ms", "60000").when()
                .get("/v1/kv/rhubarb").then().statusCode(200).extract().header("X-Replica-Lag-Ms");
        assertThat(Long.parseLong(lag)).as("a bounded read's lag, the bound as a header").isLessThanOrEqualTo(60_000);
    }

    @Test
    void deletesAreTombstonesThatReplicate() throws Exception {
        given().contentType("application/json").body("\"x\"").when().put("/v1/kv/toast").then().statusCode(201);
        given().when().delete("/v1/kv/toast").then().statusCode(204).header("ETag", "\"2\"").header("X-Shard", "t-z");
        given().queryParam("consistency", "strong").when().get("/v1/kv/toast").then().statusCode(404)
                .contentType("application/problem+json")
                .header("X-Served-By", "t-z/leader");
        ShardEntry shard = cluster().shardMap().shard("t-z").orElseThrow();
        for (String replica : shard.replicas()) {
            assertThat(Tables.awaitVersion(cluster(), replica, "toast", 2, REPLICATION_BOUND).tombstone()).isTrue();
        }
        given().when().get("/v1/kv/toast").then().statusCode(404)
                .header("X-Served-By", matchesPattern("t-z/(replica-[12]|leader)"));
        given().when().delete("/v1/kv/toast").then().statusCode(404);
        given().contentType("application/json").body("\"again\"").when().put("/v1/kv/toast").then().statusCode(201)
                .header("ETag", "\"3\"");
    }

    @Test
    void conditionalWritesFollowTheirHeaders() {
        String key = "/v1/kv/ledger";
        given().contentType("application/json").header("If-None-Match", "*").body("1").when().put(key)
                .then().statusCode(201).header("ETag", "\"1\"");
        given().contentType("application/json").header("If-None-Match", "*").body("2").when().put(key)
                .then().statusCode(412).contentType("application/problem+json")
                .body("type", equalTo("urn:shardkv:problem:precondition-failed"))
                .body("currentVersion", equalTo(1));
        given().contentType("application/json").header("If-Match", "\"1\"").body("2").when().put(key)
                .then().statusCode(200).header("ETag", "\"2\"");
        given().contentType("application/json").header("If-Match", "\"1\"").body("3").when().put(key)
                .then().statusCode(412).body("currentVersion", equalTo(2));
        given().contentType("application/json").header("If-Match", "*").body("3").when().put(key)
                .then().statusCode(200).header("ETag", "\"3\"");
        given().header("If-Match", "\"2\"").when().delete(key).then().statusCode(412);
        given().header("If-Match", "\"3\"").when().delete(key).then().statusCode(204).header("ETag", "\"4\"");
        given().contentType("application/json").header("If-Match", "\"4\"").body("5").when().put(key)
                .then().statusCode(412);
        given().contentType("application/json").header("If-None-Match", "*").body("5").when().put(key)
                .then().statusCode(201).header("ETag", "\"5\"");
        given().queryParam("consistency", "strong").when().get(key).then().statusCode(200)
                .body("value", equalTo(5)).body("version", equalTo(5));
    }

    @Test
    void shardMapAndOpenApi() {
        given().when().get("/v1/shards").then().statusCode(200)
                .body("epoch", equalTo(1))
                .body("routing", equalTo("range"))
                .body("shards.id", equalTo(java.util.List.of("a-l", "m-s", "t-z")))
                .body("shards[0].range", equalTo("[-inf, \"m\")"))
                .body("shards[2].replicas[1].table", equalTo("test-t-z-replica-2"))
                .body("shards[2].replicas[1].replica", equalTo(2))
                .body("shards[2].replicas[1].name", equalTo("replica-2"));
        // A replica has one shape: /v1/replication names it as /v1/shards does, then its lag and delay.
        given().when().get("/v1/replication").then().statusCode(200)
                .body("shards[2].replicas[1].replica", equalTo(2))
                .body("shards[2].replicas[1].name", equalTo("replica-2"))
                .body("shards[2].replicas[1].table", equalTo("test-t-z-replica-2"))
                .body("shards[2].replicas[1].delay.samples", notNullValue())
                .body("shards[2].replicas[1].delay.p99", notNullValue())
                .body("shards[2].replicas[1]", not(hasKey("window")));
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/v1/kv/{key}'.put", notNullValue())
                .body("paths.'/v1/kv/{key}'.get.parameters.name", hasItem("maxLagMs"))
                .body("paths.'/v1/kv/{key}'.get.parameters.name", not(hasItem("maxStalenessMs")));
    }
}
