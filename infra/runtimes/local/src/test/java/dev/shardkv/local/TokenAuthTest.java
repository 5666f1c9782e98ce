package dev.shardkv.local;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With a configured token, the API refuses requests without it (401 problem+json) and writes nothing. */
@QuarkusTest
@TestProfile(TokenAuthTest.WithToken.class)
class TokenAuthTest {
    static final String TOKEN = "s3cret-token";

    /** A server started with a token (shared by the tests that need one, so Quarkus starts it once for them). */
    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("shardkv.auth.token", TOKEN);
        }
    }

    @Test
    void theApiNeedsTheTokenTheServerWasStartedWith() {
        given().contentType("application/json").body("1").when().put("/v1/kv/guarded")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"shardkv\"")
                .body("type", equalTo("urn:shardkv:problem:unauthorized"));
        given().header("Authorization", "Bearer wrong").when().get("/v1/kv/guarded").then().statusCode(401);
        given().header("Authorization", "Bearer s3cret-token").queryParam("consistency", "strong")
                .when().get("/v1/kv/guarded").then().statusCode(404); // nothing was written
        given().header("Authorization", "Bearer s3cret-token").contentType("application/json").body("1")
                .when().put("/v1/kv/guarded").then().statusCode(201);
        given().when().get("/q/health").then().statusCode(200);
    }

    /** Started with the API's token and no admin token: /v1/admin/ is closed to every token, not left open. */
    @Test
    void withoutAnAdminTokenTheAdminRoutesAreClosed() {
        for (String authorization : new String[] {null, "Bearer s3cret-token", "Bearer wrong"}) {
            var request = given();
            if (authorization != null) {
                request = request.header("Authorization", authorization);
            }
            request.when().get("/v1/admin/operations").then().statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:shardkv:problem:forbidden"))
                    .body("detail", containsString("SHARDKV_ADMIN_TOKEN"));
        }
        given().header("Authorization", "Bearer s3cret-token").contentType("application/json")
                .body("{\"shards\":[\"a-l\",\"m-s\"]}").when().post("/v1/admin/merges").then().statusCode(403);
    }
}
