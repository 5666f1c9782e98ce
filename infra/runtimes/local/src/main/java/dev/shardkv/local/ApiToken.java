package dev.shardkv.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The bearer token this server was started with, if any: {@code shardkv.auth.token} (best given as the environment
 * variable SHARDKV_AUTH_TOKEN, which {@code ps} does not show) or the content of {@code shardkv.auth.token-file}.
 */
final class ApiToken {
    private ApiToken() {
    }

    /** Empty: no token, the API is open. A token file that cannot be read or is empty stops the start. */
    static Optional<String> resolve(LocalConfig.Auth auth) {
        Optional<String> token = auth.token().filter(t -> !t.isBlank());
        Optional<String> file = auth.tokenFile().filter(f -> !f.isBlank());
        if (file.isEmpty()) {
            return token;
        }
        if (token.isPresent()) {
            throw new IllegalStateException("Both shardkv.auth.token and shardkv.auth.token-file are set; set one.");
        }
        Path path = Path.of(file.get()).toAbsolutePath();
        String text;
        try {
            text = Files.readString(path).strip(); // a trailing newline is not part of the token
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the token file " + path + " (shardkv.auth.token-file): " + e, e);
        }
        if (text.isEmpty()) {
            // Starting without a token here would leave the API open to someone who meant to close it.
            throw new IllegalStateException("The token file " + path + " (shardkv.auth.token-file) is empty.");
        }
        return Optional.of(text);
    }
}
