package dev.shardkv.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The live page against a server started with a token, in a real headless Chromium: it asks for the token (a form on
 * the page), says so when the token is refused, and with the right one shows the replicas, sending the token on every
 * poll. Skipped, with the reason, where no Chromium is installed.
 */
@QuarkusTest
@TestProfile(TokenAuthTest.WithToken.class)
class DashboardTokenTest {
    static final Duration WITHIN = Duration.ofSeconds(20);
    /** document.body first: the page may still be loading when Chromium hands it over. */
    static final String FORM_SHOWN = "document.body && document.body.dataset.state === 'token'"
            + " && !document.getElementById('token-form').hidden";

    @TestHTTPResource("/")
    URL url;

    @Test
    void thePageAsksForTheTokenThenShowsTheReplicas() throws Exception {
        Optional<Path> chromium = DashboardPageTest.findChromium();
        Assumptions.assumeTrue(chromium.isPresent(), "no chromium: install Debian's chromium package");
        given().when().get("/").then().statusCode(200); // the page itself stays open

        try (HeadlessChromium page = HeadlessChromium.open(chromium.get(), url)) {
            page.await("the token form", FORM_SHOWN + " && document.body.dataset.token === 'required'", WITHIN);
            assertThat(page.eval("document.querySelectorAll('tr.replica-row').length").asInt()).isZero();

            page.typeAndEnter("#token-input", "not-the-token");
            page.await("that the token was refused", FORM_SHOWN + " && document.body.dataset.token === 'refused'", WITHIN);
            assertThat(page.eval("document.getElementById('token-error').textContent").asText()).contains("refused");
            assertThat(page.eval("sessionStorage.getItem('shardkv.token')").isNull()).as("a refused token is forgotten")
                    .isTrue();

            page.typeAndEnter("#token-input", TokenAuthTest.TOKEN);
            page.await("the replicas", "document.body.dataset.state === 'ok' && Number(document.body.dataset.polls) >= 3"
                    + " && document.querySelectorAll('tr.replica-row').length === 6", WITHIN);
            assertThat(page.eval("document.getElementById('token-form').hidden").asBoolean()).isTrue();
            assertThat(page.eval("document.body.dataset.token").asText()).isEqualTo("accepted");
            assertThat(page.eval("sessionStorage.getItem('shardkv.token')").asText()).isEqualTo(TokenAuthTest.TOKEN);
        }
    }
}
