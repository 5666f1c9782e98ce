package dev.shardkv.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A server started with both tokens: /v1/admin/ takes only the admin token (none or a wrong one 401, the API's token
 * 403), and the admin token also opens everything the API's token opens. Past the token check the admin routes reach
 * the cluster's engine.
 */
@QuarkusTest
@TestProfile(AdminTokenTest.WithBothTokens.class)
class AdminTokenTest {
    static final String DATA = "Bearer data-token-5ac1";
    static final String ADMIN = "Bearer admin-token-9e07";

    public static class WithBothTokens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("shardkv.auth.token", "data-token-5ac1", "shardkv.auth.admin-token", "admin-token-9e07");
        }
    }

    static Response adminGet(String authorization) {
        var request = given();
        if (authorization != null) {
            request = request.header("Authorization", authorization);
        }
        return request.when().get("/v1/admin/operations");
    }

    @Test
    void theAdminRoutesNeedTheAdminToken() {
        adminGet(null).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"shardkv\"")
                .body("type", equalTo("urn:shardkv:problem:unauthorized"))
                .body("instance", equalTo("/v1/admin/operations"));
        adminGet("Bearer wrong").then().statusCode(401).body("type", equalTo("urn:shardkv:problem:unauthorized"));
        adminGet(ADMIN.toLowerCase()).then().statusCode(401);
        adminGet(DATA).then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:shardkv:problem:forbidden"))
                .body("detail", containsString("admin token"));
        given().header("Authorization", DATA).contentType("application/json").body("{\"shard\":\"a-l\",\"at\":\"g\"}")
                .when().post("/v1/admin/splits").then().statusCode(403);
        given().header("Authorization", DATA).when().delete("/v1/admin/operations/op-1764571200000-k7q2mzpa")
                .then().statusCode(403);

        int passed = adminGet(ADMIN).statusCode();
        assertThat(passed).as("the admin token passes the token check").isEqualTo(200);
        // Past the token check to the planner, which refuses it: nothing starts on a server other tests share.
        given().header("Authorization", ADMIN).contentType("application/json")
                .body("{\"shard\":\"no-such\",\"at\":\"p\"}").when().post("/v1/admin/splits").then().statusCode(404)
                .body("type", equalTo("urn:shardkv:problem:unknown-shard"));
    }

    @Test
    void theAdminTokenAlsoOpensTheDataRoutesAndTheMetrics() {
        given().contentType("application/json").body("1").when().put("/v1/kv/admin-superset").then().statusCode(401);
        given().header("Authorization", ADMIN).contentType("application/json").body("1")
                .when().put("/v1/kv/admin-superset").then().statusCode(201);
        given().header("Authorization", DATA).queryParam("consistency", "strong")
                .when().get("/v1/kv/admin-superset").then().statusCode(200);
        given().header("Authorization", ADMIN).when().get("/v1/shards").then().statusCode(200);
        given().header("Authorization", ADMIN).when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/health").then().statusCode(200);
    }

    /** Every spelling of an admin path that the routes might still match is judged as an admin path. */
    @Test
    void noOtherSpellingOfAnAdminPathPassesWithTheDataToken() throws Exception {
        for (String path : new String[] {"/v1/admin/operations/", "/v1//admin/operations", "/v1/./admin/operations",
                "/x/../v1/admin/operations", "/v1/kv/../admin/operations", "/v1/admin;x=1/operations",
                "/v1/%61dmin/operations", "/v1/admin%2Foperations", "/v1/kv/%2E%2E/admin/operations",
                "/v1/ADMIN/operations", "/v1/admin"}) {
            RawHttp.Answer answer = RawHttp.send(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + DATA + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), null);
            assertThat(answer.status()).as("%s with the data token: %s", path, answer.body()).isEqualTo(403);
        }
    }

    @Test
    void anAdminTokenEqualToTheApiTokenStopsTheStart() {
        assertThat(ApiToken.resolveAdmin(TokenFileTest.auth("t", null, "a", null))).contains("a");
        assertThat(ApiToken.resolveAdmin(TokenFileTest.auth("t", null, null, null))).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> ApiToken.resolveAdmin(TokenFileTest.auth("same", null, "same", null)))
                .hasMessageContaining("a token of its own");
    }
}
