package dev.shardkv.local;

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
 * The live page's operations panel against a server started with both tokens, in a real headless Chromium: with the
 * data token the lag shows but /v1/admin/operations answers 403, so the panel says the admin token is needed and asks
 * for it; a wrong one is refused and forgotten; the right one shows the operations. Skipped where no Chromium is.
 */
@QuarkusTest
@TestProfile(AdminTokenTest.WithBothTokens.class)
class DashboardAdminTokenTest {
    static final Duration WITHIN = Duration.ofSeconds(20);
    static final String ASKING = "document.getElementById('operations').dataset.state === 'token'"
            + " && !document.getElementById('admin-token-form').hidden";

    @TestHTTPResource("/")
    URL url;

    @Test
    void theOperationsPanelAsksForTheAdminTokenThenShowsTheOperations() throws Exception {
        Optional<Path> chromium = DashboardPageTest.findChromium();
        Assumptions.assumeTrue(chromium.isPresent(), "no chromium: install Debian's chromium package");

        try (HeadlessChromium page = HeadlessChromium.open(chromium.get(), url)) {
            page.await("the token form", "document.body && document.body.dataset.state === 'token'", WITHIN);
            page.typeAndEnter("#token-input", AdminTokenTest.DATA.substring("Bearer ".length()));
            page.await("the replicas", "document.body.dataset.state === 'ok'"
                    + " && document.querySelectorAll('tr.replica-row').length === 6", WITHIN);

            page.await("the operations panel asking for the admin token", ASKING, WITHIN);
            assertThat(page.eval("document.getElementById('ops-status').textContent").asText())
                    .contains("Operations need the admin token");
            assertThat(page.eval("document.getElementById('ops').hidden").asBoolean()).as("no table").isTrue();

            page.typeAndEnter("#admin-token-input", "not-the-admin-token");
            page.await("the admin token refused", ASKING
                    + " && document.getElementById('admin-token-error').textContent.includes('refused')", WITHIN);
            assertThat(page.eval("sessionStorage.getItem('shardkv.adminToken')").isNull()).as("forgotten").isTrue();

            page.typeAndEnter("#admin-token-input", AdminTokenTest.ADMIN.substring("Bearer ".length()));
            page.await("the operations", "document.getElementById('operations').dataset.state === 'ok'", WITHIN);
            assertThat(page.eval("document.getElementById('admin-token-form').hidden").asBoolean()).isTrue();
            assertThat(page.eval("document.getElementById('ops').hidden").asBoolean()).as("the table").isFalse();
            assertThat(page.eval("document.body.dataset.state").asText()).as("the lag still shows").isEqualTo("ok");
        }
    }
}
