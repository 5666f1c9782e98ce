package dev.shardkv.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** shardkv.auth.token-file: the server reads its token from a file, so the token is on no command line. */
@QuarkusTest
@TestProfile(TokenFileTest.WithTokenFile.class)
class TokenFileTest {
    static final String TOKEN = "from-a-file-7f3a";

    public static class WithTokenFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path file = Files.createTempFile("shardkv-token-", ".txt");
                file.toFile().deleteOnExit();
                Files.writeString(file, TOKEN + "\n"); // as `echo token > file` writes it
                return Map.of("shardkv.auth.token-file", file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void theServerTakesItsTokenFromTheFile() {
        given().when().get("/v1/shards").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + TOKEN).when().get("/v1/shards").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(401);
        given().header("Authorization", "Bearer " + TOKEN).when().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aTokenFileThatCannotGiveATokenStopsTheStart(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), " \n");
        assertThatThrownBy(() -> ApiToken.resolve(auth(null, empty.toString()))).hasMessageContaining("is empty");
        assertThatThrownBy(() -> ApiToken.resolve(auth(null, dir.resolve("missing").toString())))
                .hasMessageContaining("Cannot read the token file");
        assertThatThrownBy(() -> ApiToken.resolve(auth("t", empty.toString()))).hasMessageContaining("set one");
        assertThat(ApiToken.resolve(auth(" ", null))).isEmpty(); // a blank token: no token, as before
    }

    @Test
    void theAdminTokenComesFromItsFileWithTheSameChecks(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("admin"), "admin-from-file\n");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThat(ApiToken.resolveAdmin(auth(null, null, null, file.toString()))).contains("admin-from-file");
        assertThatThrownBy(() -> ApiToken.resolveAdmin(auth(null, null, null, empty.toString())))
                .hasMessageContaining("is empty").hasMessageContaining("admin-token-file");
        assertThatThrownBy(() -> ApiToken.resolveAdmin(auth(null, null, "t", file.toString())))
                .hasMessageContaining("SHARDKV_ADMIN_TOKEN").hasMessageContaining("set one");
        assertThatThrownBy(() -> ApiToken.resolveAdmin(auth("admin-from-file", null, null, file.toString())))
                .hasMessageContaining("a token of its own");
    }

    static LocalConfig.Auth auth(String token, String file) {
        return auth(token, file, null, null);
    }

    static LocalConfig.Auth auth(String token, String file, String adminToken, String adminFile) {
        return new LocalConfig.Auth() {
            @Override
            public Optional<String> token() {
                return Optional.ofNullable(token);
            }

            @Override
            public Optional<String> tokenFile() {
                return Optional.ofNullable(file);
            }

            @Override
            public Optional<String> adminToken() {
                return Optional.ofNullable(adminToken);
            }

            @Override
            public Optional<String> adminTokenFile() {
                return Optional.ofNullable(adminFile);
            }
        };
    }
}
