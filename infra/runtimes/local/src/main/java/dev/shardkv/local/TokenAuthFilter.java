package dev.shardkv.local;

import dev.shardkv.api.Problems;
import dev.shardkv.core.error.ProblemType;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Bearer tokens, the embedded runtime's stand-in for API Gateway's IAM or JWT authorization. With neither token
 * configured everything is open. Otherwise:
 * <ul>
 * <li>{@code /v1/admin/} (splits and merges) needs {@code Authorization: Bearer <admin token>}: none or another
 * token is 401, the API's token is 403 forbidden (it is valid, but not for this), and a server started without an
 * admin token refuses every admin request with 403, so that turning auth on never leaves the admin routes open;</li>
 * <li>the rest of the API ({@code /v1/}), the metrics ({@code /q/metrics}) and the benchmark's {@code /bench/} need the
 * API's token or the admin token (a superset), else 401, when the API has a token, and are open when it has none.</li>
 * </ul>
 * The live page and its files, health and OpenAPI stay open. Tokens are compared in constant time. A Vert.x filter
 * rather than a JAX-RS one: it runs before every route, {@code /q/metrics} included, and before any body is read.
 */
@Singleton
public class TokenAuthFilter {
    /** Higher runs first: ahead of every other filter and route. */
    private static final int PRIORITY = 1_000;

    private final Optional<byte[]> data;
    private final Optional<byte[]> admin;

    TokenAuthFilter(LocalConfig config) {
        this.data = ApiToken.resolve(config.auth()).map(TokenAuthFilter::bearer);
        this.admin = ApiToken.resolveAdmin(config.auth()).map(TokenAuthFilter::bearer);
    }

    void register(@Observes Filters filters) {
        if (data.isPresent() || admin.isPresent()) {
            filters.register(this::check, PRIORITY);
        }
    }

    /** The normalized path is the one the routes match on, so "/x/../v1/kv/k" cannot slip past. */
    static boolean guarded(String path) {
        // /bench/: BareRoute, when switched on, is guarded like the API it is measured against.
        return path.equals("/v1") || path.startsWith("/v1/") || path.startsWith("/q/metrics")
                || path.equals("/bench") || path.startsWith("/bench/");
    }

    /**
     * The admin routes, judged on the path as plainly as it can be read: percent-decoded, without matrix parameters,
     * empty or dot segments, in lower case. So no spelling of an admin path the routes might still match
     * ("/v1/admin;x/splits", "/v1/%61dmin/splits", "/v1/admin%2Fsplits", "/v1/kv/%2E%2E/admin/splits") passes for a
     * data route; at worst a path that matches no route is refused as an admin one.
     */
    static boolean admin(String path) {
        String decoded;
        try {
            decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = path; // a malformed escape: the routes will not match it either
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : decoded.replaceAll(";[^/]*", "").split("/")) {
            if (segment.equals("..")) {
                segments.pollLast();
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.addLast(segment.toLowerCase(Locale.ROOT));
            }
        }
        return segments.size() >= 2 && segments.pollFirst().equals("v1") && segments.pollFirst().equals("admin");
    }

    private void check(RoutingContext rc) {
        String path = rc.normalizedPath();
        String header = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (admin(path)) {
            checkAdmin(rc, header);
        } else if (!guarded(path) || data.isEmpty() || matches(header, data) || matches(header, admin)) {
            rc.next();
        } else {
            unauthorized(rc, header == null
                    ? "Send Authorization: Bearer <token>; this server requires the token it was started with."
                    : "The bearer token is not the one this server was started with.");
        }
    }

    private void checkAdmin(RoutingContext rc, String header) {
        if (admin.isEmpty()) {
            forbidden(rc, "This server was started without an admin token, so /v1/admin/ is closed to every token:"
                    + " start it with SHARDKV_ADMIN_TOKEN set (./shardkv local --admin-token or --admin-token-file),"
                    + " then send Authorization: Bearer <admin token>.");
        } else if (matches(header, admin)) {
            rc.next();
        } else if (matches(header, data)) {
            forbidden(rc, "The token of the API does not open /v1/admin/; send the admin token this server was"
                    + " started with.");
        } else {
            unauthorized(rc, header == null
                    ? "Send Authorization: Bearer <admin token>; /v1/admin/ requires the admin token this server was"
                            + " started with."
                    : "The bearer token is not the admin token this server was started with.");
        }
    }

    private static boolean matches(String header, Optional<byte[]> expected) {
        return header != null && expected.isPresent()
                && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expected.get());
    }

    private static byte[] bearer(String token) {
        return ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    private static void unauthorized(RoutingContext rc, String detail) {
        rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"shardkv\"");
        refuse(rc, ProblemType.UNAUTHORIZED, detail);
    }

    private static void forbidden(RoutingContext rc, String detail) {
        refuse(rc, ProblemType.FORBIDDEN, detail);
    }

    private static void refuse(RoutingContext rc, ProblemType type, String detail) {
        rc.response().setStatusCode(type.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                .end(Json.encode(Problems.body(type, detail, rc.request().path(), Map.of())));
    }
}
