package dev.shardkv.local;

import dev.shardkv.api.Problems;
import dev.shardkv.core.error.ProblemType;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * With a token configured, the API ({@code /v1/}) and the metrics ({@code /q/metrics}) need
 * {@code Authorization: Bearer <token>}, else 401 problem+json: the embedded runtime's stand-in for API Gateway's IAM or
 * JWT authorization. The live page and its files, health and OpenAPI stay open. A Vert.x filter rather than a JAX-RS
 * one: it runs before every route, {@code /q/metrics} included, and before any body is read.
 */
@Singleton
public class TokenAuthFilter {
    /** Higher runs first: ahead of every other filter and route. */
    private static final int PRIORITY = 1_000;

    private final Optional<byte[]> expected;

    TokenAuthFilter(LocalConfig config) {
        this.expected = ApiToken.resolve(config.auth()).map(t -> ("Bearer " + t).getBytes(StandardCharsets.UTF_8));
    }

    void register(@Observes Filters filters) {
        if (expected.isPresent()) {
            filters.register(this::check, PRIORITY);
        }
    }

    /** The normalized path is the one the routes match on, so "/x/../v1/kv/k" cannot slip past. */
    static boolean guarded(String path) {
        return path.equals("/v1") || path.startsWith("/v1/") || path.startsWith("/q/metrics");
    }

    private void check(RoutingContext rc) {
        String header = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (!guarded(rc.normalizedPath()) || (header != null
                && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expected.orElseThrow()))) {
            rc.next();
            return;
        }
        String detail = header == null
                ? "Send Authorization: Bearer <token>; this server requires the token it was started with."
                : "The bearer token is not the one this server was started with.";
        rc.response().setStatusCode(401)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                .putHeader("WWW-Authenticate", "Bearer realm=\"shardkv\"")
                .end(Json.encode(Problems.body(ProblemType.UNAUTHORIZED, detail, rc.request().path(), Map.of())));
    }
}
