package dev.shardkv.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A server started with an admin token only: the data routes stay open as without tokens, /v1/admin/ needs it. */
@QuarkusTest
@TestProfile(AdminOnlyTokenTest.WithAdminToken.class)
class AdminOnlyTokenTest {
    public static class WithAdminToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("shardkv.auth.admin-token", "only-admin-31f2");
        }
    }

    @Test
    void onlyTheAdminRoutesNeedAToken() {
        given().contentType("application/json").body("1").when().put("/v1/kv/open-data").then().statusCode(201);
        given().when().get("/q/metrics").then().statusCode(200);
        given().when().get("/v1/admin/operations").then().statusCode(401)
                .body("type", equalTo("urn:shardkv:problem:unauthorized"));
        given().header("Authorization", "Bearer wrong").when().get("/v1/admin/operations").then().statusCode(401);
        int passed = given().header("Authorization", "Bearer only-admin-31f2").when().get("/v1/admin/operations")
                .statusCode();
        assertThat(passed).isEqualTo(200);
    }
}
