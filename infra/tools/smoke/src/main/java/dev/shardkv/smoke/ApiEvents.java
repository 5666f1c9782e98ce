package dev.shardkv.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * HTTP API (payload format 2.0) events as API Gateway sends them to its integration, for the routes of
 * the plan: a request no route matches is what API Gateway would answer 404 itself.
 */
public final class ApiEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /** The integration's answer. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final List<String> routes;
    private final String account;

    public ApiEvents(List<String> routes, String account) {
        this.routes = routes;
        this.account = account;
    }

    /** The route key that takes {@code method} {@code rawPath}, as API Gateway picks it (a {proxy+} matches the rest). */
    public Optional<Route> route(String method, String rawPath) {
        Route best = null;
        for (String key : routes) {
            String[] parts = key.split(" ", 2);
            if (!(parts[0].equals(method) || parts[0].equals("ANY")) && !key.equals("$default")) {
                continue;
            }
            Map<String, String> params = key.equals("$default") ? Map.of() : match(parts[1], rawPath);
            if (params != null && (best == null || key.length() > best.key().length())) {
                best = new Route(key, params);
            }
        }
        return Optional.ofNullable(best);
    }

    public record Route(String key, Map<String, String> pathParameters) {
    }

    private static Map<String, String> match(String template, String rawPath) {
        String[] t = template.split("/");
        String[] p = rawPath.split("/", -1);
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith("{") && t[i].endsWith("+}")) {
                if (i >= p.length) {
                    return null;
                }
                String rest = String.join("/", java.util.Arrays.copyOfRange(p, i, p.length));
                params.put(t[i].substring(1, t[i].length() - 2), URLDecoder.decode(rest, StandardCharsets.UTF_8));
                return params;
            }
            if (i >= p.length) {
                return null;
            }
            if (t[i].startsWith("{") && t[i].endsWith("}")) {
                params.put(t[i].substring(1, t[i].length() - 1), URLDecoder.decode(p[i], StandardCharsets.UTF_8));
            } else if (!t[i].equals(p[i])) {
                return null;
            }
        }
        return t.length == p.length ? params : null;
    }

    /** The event for one request; {@code target} is the path with its query, as sent by a client (percent-encoded). */
    public byte[] event(String method, String target, Map<String, String> headers, String body) {
        int q = target.indexOf('?');
        String rawPath = q < 0 ? target : target.substring(0, q);
        String rawQuery = q < 0 ? "" : target.substring(q + 1);
        Route route = route(method, rawPath).orElseThrow(() -> new IllegalArgumentException(
                "no route of the API takes " + method + " " + rawPath + " (API Gateway would answer 404): " + routes));
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", route.key());
        event.put("rawPath", rawPath);
        event.put("rawQueryString", rawQuery);
        ObjectNode h = event.putObject("headers");
        h.put("host", "smoke.execute-api.localhost");
        h.put("user-agent", "shardkv-smoke");
        h.put("x-forwarded-proto", "https");
        h.put("x-forwarded-for", "127.0.0.1");
        headers.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v));
        if (body != null) {
            h.put("content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        }
        if (!rawQuery.isEmpty()) {
            ObjectNode qs = event.putObject("queryStringParameters");
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                qs.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        if (!route.pathParameters().isEmpty()) {
            ObjectNode pp = event.putObject("pathParameters");
            route.pathParameters().forEach(pp::put);
        }
        Instant now = Instant.now();
        ObjectNode ctx = event.putObject("requestContext");
        ctx.put("accountId", account);
        ctx.put("apiId", "smoke");
        ctx.put("domainName", "smoke.execute-api.localhost");
        ctx.put("domainPrefix", "smoke");
        ObjectNode http = ctx.putObject("http");
        http.put("method", method);
        http.put("path", rawPath);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "127.0.0.1");
        http.put("userAgent", "shardkv-smoke");
        ctx.put("requestId", UUID.randomUUID().toString());
        ctx.put("routeKey", route.key());
        ctx.put("stage", "$default");
        ctx.put("time", TIME.format(now));
        ctx.put("timeEpoch", now.toEpochMilli());
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the integration's answer (payload format 2.0). */
    public static Response response(byte[] payload) {
        try {
            JsonNode r = JSON.readTree(payload);
            Map<String, String> headers = new LinkedHashMap<>();
            r.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
            r.path("multiValueHeaders").properties().forEach(e -> headers.putIfAbsent(e.getKey(), e.getValue().path(0).asText()));
            String body = r.path("body").asText("");
            if (r.path("isBase64Encoded").asBoolean()) {
                body = new String(java.util.Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
            return new Response(r.path("statusCode").asInt(), headers, body);
        } catch (IOException e) {
            throw new IllegalStateException("the gateway's answer is not a payload 2.0 response: "
                    + new String(payload, StandardCharsets.UTF_8), e);
        }
    }

}
