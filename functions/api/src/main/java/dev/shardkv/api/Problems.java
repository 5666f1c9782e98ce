package dev.shardkv.api;

import dev.shardkv.core.error.ProblemType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds RFC 9457 {@code application/problem+json} responses. */
public final class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {
    }

    public static Response response(ProblemType type, String detail, String instance, Map<String, Object> fields) {
        Response.ResponseBuilder response = Response.status(type.status()).type(MEDIA_TYPE)
                .entity(body(type, detail, instance, fields));
        Object servedBy = fields.get("servedBy");
        if (servedBy != null) {
            response.header(Headers.SERVED_BY, servedBy);
        }
        Object shard = fields.get("shard");
        if (shard != null) {
            response.header(Headers.SHARD, shard);
        }
        return response.build();
    }

    /** The problem document itself, for refusals made outside JAX-RS (an HTTP filter in front of every route). */
    public static Map<String, Object> body(ProblemType type, String detail, String instance, Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.uri());
        body.put("title", type.title());
        body.put("status", type.status());
        body.put("detail", detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        fields.forEach(body::putIfAbsent);
        return body;
    }
}
