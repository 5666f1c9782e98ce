package dev.shardkv.local;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code /bench/bare}, only with {@code shardkv.bench.bare-route=true} ({@code ./shardkv bench http}): the bytes of an
 * API answer served by a plain Vert.x handler on the event loop, no Quarkus REST, no Jackson, no cluster. The same
 * server, the same HttpGuard, metrics and TokenAuthFilter in front; what GET /v1/kv/{key} costs beyond this is
 * what our HTTP stack costs per request. {@code PUT} stores the body and its Content-Type; {@code GET} answers them.
 */
@ApplicationScoped
public class BareRoute {
    static final String PATH = "/bench/bare";

    private record Answer(byte[] body, String contentType) {
    }

    /** Written by a PUT on one event loop, read by GETs on the others. */
    private volatile Answer answer = new Answer(new byte[0], "application/octet-stream");

    private final boolean enabled;

    BareRoute(LocalConfig config) {
        this.enabled = config.bench().bareRoute();
    }

    void install(@Observes Router router) {
        if (!enabled) {
            return; // production: the path stays a 404
        }
        router.route(HttpMethod.PUT, PATH).handler(this::put);
        router.route(HttpMethod.GET, PATH).handler(this::get);
    }

    private void put(RoutingContext ctx) {
        // HttpGuard's BodyHandler has already read the body (when it has one).
        Buffer body = ctx.body().buffer();
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        answer = new Answer(body == null ? new byte[0] : body.getBytes(),
                type == null ? "application/octet-stream" : type);
        ctx.response().setStatusCode(204).end();
    }

    private void get(RoutingContext ctx) {
        Answer a = answer;
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, a.contentType()).end(Buffer.buffer(a.body()));
    }
}
