package dev.shardkv.functions.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The gateway Lambda's real handler (Quarkus lambda-http over the REST resources), driven through
 * the mock event server, which turns each HTTP request into an API Gateway HTTP API (payload 2.0)
 * event as AWS does.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedShardsResource.class)
class GatewayHandlerTest {

    @Test
    void putStrongGetEventualGetDelete() throws Exception {
        given().contentType("application/json").body("{\"plan\":\"gold\"}")
                .when().put("/v1/kv/Tom")
                .then().statusCode(201)
                .header("ETag", "\"1\"")
                .header("X-Shard", "t-z")
                .body("version", equalTo(1));

        given().queryParam("consistency", "strong")
                .when().get("/v1/kv/Tom")
                .then().statusCode(200)
                .header("X-Served-By", "t-z/leader")
                .body("value.plan", equalTo("gold"));

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Response eventual;
        do {
            Thread.sleep(20);
            eventual = given().when().get("/v1/kv/Tom");
        } while (!(eventual.statusCode() == 200 && eventual.header("X-Served-By").contains("replica"))
                && System.nanoTime() < deadline);
        eventual.then().statusCode(200)
                .header("X-Served-By", matchesPattern("t-z/replica-[12]"))
                .body("value.plan", equalTo("gold"));

        given().when().delete("/v1/kv/Tom").then().statusCode(204);
        given().queryParam("consistency", "strong").when().get("/v1/kv/Tom")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:shardkv:problem:not-found"));
    }

    @Test
    void refusalsAreProblemJson() {
        given().contentType("application/json").body("{\"x\":1}")
                .when().put("/v1/kv/__shardkv:heartbeat")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:shardkv:problem:reserved-key"));
        given().contentType("text/plain").body("hello")
                .when().put("/v1/kv/x")
                .then().statusCode(415)
                .contentType("application/problem+json");
    }

    /**
     * The admin routes store an operation and wake the resharder function; one whose new shards Terraform has
     * not made (not staged in the topology) is refused before anything is stored or woken.
     */
    @Test
    void aSplitOfShardsNotStagedIsRefusedWithoutWakingTheResharder() {
        int wakes = CountedWakes.WAKES.get();
        int stored = given().when().get("/v1/admin/operations").then().statusCode(200)
                .extract().path("operations.size()");
        given().contentType("application/json").body("{\"shard\": \"m-s\", \"at\": \"p\"}")
                .when().post("/v1/admin/splits")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:shardkv:problem:shard-not-provisioned"))
                .body("shard", equalTo("m-o"));
        given().when().get("/v1/admin/operations")
                .then().statusCode(200)
                .body("operations.size()", equalTo(stored));
        assertThat(CountedWakes.WAKES.get()).isEqualTo(wakes);
    }

    /**
     * A split of staged shards is stored and wakes the resharder; nothing runs it here, so an abort is asked and
     * answered 202 with the operation as it is, and the request waits in the control table for the runner.
     */
    @Test
    void aSplitOfStagedShardsIsStoredAndWakesTheResharder() {
        int wakes = CountedWakes.WAKES.get();
        String location = given().contentType("application/json").body("{\"shard\": \"a-l\", \"at\": \"g\"}")
                .when().post("/v1/admin/splits")
                .then().statusCode(202)
                .body("state", equalTo("copying"))
                .body("targets", org.hamcrest.Matchers.contains("a-f", "g-l"))
                .extract().header("Location");
        assertThat(CountedWakes.WAKES.get()).isEqualTo(wakes + 1);
        given().when().get(location).then().statusCode(200).body("state", equalTo("copying"));
        given().when().delete(location)
                .then().statusCode(202)
                .body("state", equalTo("copying"));
        assertThat(CountedWakes.WAKES.get()).isEqualTo(wakes + 2);
        given().contentType("application/json").body("{\"shard\": \"a-l\", \"at\": \"c\", \"ids\": [\"a-f\", \"g-l\"]}")
                .when().post("/v1/admin/splits")
                .then().statusCode(409); // the shards are the first operation's until it ends
    }

    @Test
    void shardMapComesFromTheControlTable() {
        given().when().get("/v1/shards")
                .then().statusCode(200)
                .body("epoch", equalTo(1))
                .body("shards.size()", equalTo(3))
                .body("shards[1].leader", equalTo("test-m-s-leader"));
    }
}
