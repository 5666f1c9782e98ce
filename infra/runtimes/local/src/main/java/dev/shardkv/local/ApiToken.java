package dev.shardkv.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The bearer tokens this server was started with, if any: the token of the API ({@code shardkv.auth.token}, best
 * given as the environment variable SHARDKV_AUTH_TOKEN, which {@code ps} does not show, or the content of
 * {@code shardkv.auth.token-file}) and the admin token of {@code /v1/admin/} ({@code shardkv.auth.admin-token}, or
 * SHARDKV_ADMIN_TOKEN, or the content of {@code shardkv.auth.admin-token-file}).
 */
final class ApiToken {
    private static final String TOKEN = "shardkv.auth.token";
    private static final String ADMIN_TOKEN = "shardkv.auth.admin-token";

    private ApiToken() {
    }

    /** Empty: no token, the API is open. A token file that cannot be read or is empty stops the start. */
    static Optional<String> resolve(LocalConfig.Auth auth) {
        return resolve(auth.token(), auth.tokenFile(), TOKEN, TOKEN);
    }

    /**
     * Empty: no admin token, so /v1/admin/ is closed if the API has a token and open if it has none. Refused, stopping
     * the start, when it is the API's token: whoever may read and write could then split and merge too.
     */
    static Optional<String> resolveAdmin(LocalConfig.Auth auth) {
        Optional<String> admin = resolve(auth.adminToken(), auth.adminTokenFile(), ADMIN_TOKEN,
                ADMIN_TOKEN + " (or SHARDKV_ADMIN_TOKEN)");
        if (admin.isPresent() && admin.equals(resolve(auth))) {
            throw new IllegalStateException("The admin token (" + ADMIN_TOKEN + ") is the same as the token of the API ("
                    + TOKEN + "); give the admin a token of its own.");
        }
        return admin;
    }

    /** {@code name}: the setting, whose file is {@code name-file}; {@code given}: how the value may have been given. */
    private static Optional<String> resolve(Optional<String> value, Optional<String> fileName, String name,
            String given) {
        Optional<String> token = value.filter(t -> !t.isBlank());
        Optional<String> file = fileName.filter(f -> !f.isBlank());
        if (file.isEmpty()) {
            return token;
        }
        if (token.isPresent()) {
            throw new IllegalStateException("Both " + given + " and " + name + "-file are set; set one.");
        }
        Path path = Path.of(file.get()).toAbsolutePath();
        String text;
        try {
            text = Files.readString(path).strip(); // a trailing newline is not part of the token
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the token file " + path + " (" + name + "-file): " + e, e);
        }
        if (text.isEmpty()) {
            // Starting without a token here would leave the API open to someone who meant to close it.
            throw new IllegalStateException("The token file " + path + " (" + name + "-file) is empty.");
        }
        return Optional.of(text);
    }
}
