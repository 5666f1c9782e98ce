package dev.shardkv.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.shardkv.core.kv.ValueCodec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code /q/metrics} with a token configured: it needs the token, and no path a client chose (a key name, an unknown
 * path) ever becomes a {@code uri} tag, so refused requests neither leak key names nor crowd the real routes out of
 * Micrometer's cap on uri tags (100).
 */
@QuarkusTest
@TestProfile(TokenAuthTest.WithToken.class)
class MetricsSecurityTest {
    static final String BEARER = "Bearer " + TokenAuthTest.TOKEN;
    static final Pattern URI_TAG = Pattern.compile("uri=\"([^\"]*)\"");

    @Test
    void refusedPathsNeverBecomeTagsAndRealRoutesStayMeasured() {
        for (int i = 0; i < 130; i++) { // refused by the token check, before any route matched
            given().contentType("application/json").body("1").when().put("/v1/kv/secret-" + i + "-email@example.com")
                    .then().statusCode(401);
        }
        for (int i = 0; i < 30; i++) { // no such endpoint, with the token
            given().header("Authorization", BEARER).when().get("/secret-path-" + i).then().statusCode(404);
        }
        // Refused by the body limit, before any route matched.
        given().header("Authorization", BEARER).contentType("application/json")
                .body("\"" + "x".repeat(5 * ValueCodec.MAX_VALUE_BYTES) + "\"").when().put("/v1/kv/secret-huge")
                .then().statusCode(413);

        // Real routes, first used after the flood: their templates must still be measured.
        given().header("Authorization", BEARER).contentType("application/json").body("{\"a\":1}")
                .when().put("/v1/kv/metrics-alice").then().statusCode(201);
        given().header("Authorization", BEARER).queryParam("consistency", "strong").when().get("/v1/kv/metrics-alice")
                .then().statusCode(200);
        given().header("Authorization", BEARER).when().get("/v1/shards").then().statusCode(200);

        String metrics = given().header("Authorization", BEARER).when().get("/q/metrics")
                .then().statusCode(200).extract().asString();
        Set<String> uris = new TreeSet<>();
        for (String line : metrics.lines().filter(l -> l.startsWith("http_server_requests_seconds_count")).toList()) {
            Matcher uri = URI_TAG.matcher(line);
            if (uri.find()) {
                uris.add(uri.group(1));
            }
        }
        assertThat(metrics).as("no key name or client-chosen path anywhere in /q/metrics (uri tags: %s)", uris)
                .doesNotContain("secret");
        assertThat(uris).as("uri tags of http_server_requests").contains("/v1/kv/{key}", "/v1/shards");
        assertThat(uris).as("uri tags: route templates or fixed words only").hasSizeLessThan(30);
    }

    @Test
    void theMetricsNeedTheToken() {
        given().when().get("/q/metrics").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"shardkv\"")
                .body("type", equalTo("urn:shardkv:problem:unauthorized"))
                .body("instance", equalTo("/q/metrics"));
        given().header("Authorization", "Bearer wrong").when().get("/q/metrics").then().statusCode(401)
                .contentType("application/problem+json");
        for (String sameRoute : new String[] {"/q/metrics/", "/q//metrics", "/q/./metrics", "/x/../q/metrics"}) {
            assertThat(given().urlEncodingEnabled(false).when().get(sameRoute).statusCode()).as(sameRoute).isEqualTo(401);
        }
        given().header("Authorization", BEARER).when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/health").then().statusCode(200); // health stays open: probes carry no token
    }
}
