package dev.shardkv.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The benchmark's /bench/bare exists only with shardkv.bench.bare-route=true: by default it is not served. */
@QuarkusTest
class BareRouteTest {
    @Test
    void theBareRouteIsAbsentByDefault() {
        given().contentType("application/json").body("{\"n\":1}").when().put(BareRoute.PATH).then().statusCode(404);
        given().when().get(BareRoute.PATH).then().statusCode(404);
    }

    @Test
    void whenSwitchedOnItIsGuardedLikeTheApi() {
        assertThat(TokenAuthFilter.guarded(BareRoute.PATH)).isTrue();
    }
}
