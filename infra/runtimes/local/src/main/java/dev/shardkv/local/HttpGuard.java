package dev.shardkv.local;

import dev.shardkv.api.BodyLimits;
import dev.shardkv.api.Problems;
import dev.shardkv.core.error.ProblemType;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;

/**
 * The embedded server's HTTP limits, enforced where every request passes, with problem+json answers
 * like every other refusal: the request target (414), the header block (431) and the body (413, one
 * limit per route whether it comes with a Content-Length or chunked: the body is counted as it arrives
 * and never buffered past the limit). Failures raised by the HTTP routing itself (a bad percent-escape:
 * 400) are answered the same way.
 *
 * <p>The HTTP codec (Netty) is configured with larger limits than these (application.properties), so
 * it is this class that answers. Beyond the codec's own limits, and for a request line or
 * Content-Length the codec cannot parse at all, Vert.x answers with a bare status and closes the
 * connection: Quarkus offers no hook there (quarkusio/quarkus#55082).
 */
@ApplicationScoped
public class HttpGuard {
    /** Room for a 1024-byte key percent-encoded (3 KiB) and query parameters. */
    static final int MAX_TARGET_CHARS = 8192;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /** Before Quarkus's own body-size check (order -2) and every route. */
    static final int ORDER = -10;

    private final BodyHandler valueBodies = BodyHandler.create(false).setBodyLimit(BodyLimits.VALUE_BODY);
    private final BodyHandler txBodies = BodyHandler.create(false).setBodyLimit(BodyLimits.TX_BODY);

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::limits);
        router.route().order(ORDER).failureHandler(this::failed);
        for (int status : new int[] {400, 413, 414, 431}) {
            router.errorHandler(status, this::failed);
        }
    }

    private void limits(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.uri().length() > MAX_TARGET_CHARS) {
            problem(ctx, ProblemType.URI_TOO_LONG, "The request target is %d characters; the limit is %d."
                    .formatted(request.uri().length(), MAX_TARGET_CHARS), Map.of("limit", MAX_TARGET_CHARS));
            return;
        }
        int headerBytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > MAX_HEADER_BYTES) {
            problem(ctx, ProblemType.HEADERS_TOO_LARGE, "The request headers are %d bytes; the limit is %d."
                    .formatted(headerBytes, MAX_HEADER_BYTES), Map.of("limit", MAX_HEADER_BYTES));
            return;
        }
        boolean chunked = request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
        if (!chunked && contentLength(request) <= 0) {
            ctx.next(); // no body to count (the REST layer reads an empty one itself)
            return;
        }
        (BodyLimits.of(request.path()) == BodyLimits.TX_BODY ? txBodies : valueBodies).handle(ctx);
    }

    /** A failure of the HTTP layer itself (body over its limit, a path it cannot decode...), as problem+json. */
    private void failed(RoutingContext ctx) {
        switch (ctx.statusCode()) {
            case 413 -> {
                long limit = BodyLimits.of(ctx.request().path());
                problem(ctx, BodyLimits.TYPE, BodyLimits.detail(contentLength(ctx.request()), limit), BodyLimits.fields(limit));
            }
            case 400 -> problem(ctx, ProblemType.INVALID_REQUEST,
                    "The request could not be read: check the path's percent-escapes and the headers.", Map.of());
            case 414 -> problem(ctx, ProblemType.URI_TOO_LONG, "The request target is too long.", Map.of());
            case 431 -> problem(ctx, ProblemType.HEADERS_TOO_LARGE, "The request headers are too large.", Map.of());
            default -> ctx.next();
        }
    }

    private static long contentLength(HttpServerRequest request) {
        try {
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void problem(RoutingContext ctx, ProblemType type, String detail, Map<String, ?> fields) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            ctx.request().connection().close();
            return;
        }
        String path = ctx.request().path();
        String instance = path == null ? null : path.length() > 256 ? path.substring(0, 256) + "..." : path;
        response.setStatusCode(type.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE);
        if (type == BodyLimits.TYPE) {
            // The rest of the body is not read: the connection cannot carry another request.
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(Json.encode(Problems.body(type, detail, instance, fields)));
    }
}
