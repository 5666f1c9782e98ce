package dev.shardkv.api;

import dev.shardkv.api.model.Problem;
import dev.shardkv.core.error.ProblemType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Builds RFC 9457 {@code application/problem+json} responses. */
public final class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";
    /** A field holding seconds: the refusal is temporary, and the answer says when to come back. */
    public static final String RETRY_AFTER = "retryAfter";

    private Problems() {
    }

    /** The problem document: type, title, status, detail, instance, then the structured fields. */
    public static Problem body(ProblemType type, String detail, String instance, Map<String, ?> fields) {
        return Problem.of(type, detail, instance, fields);
    }

    public static Response response(ProblemType type, String detail, String instance, Map<String, Object> fields) {
        Response.ResponseBuilder response = Response.status(type.status()).type(MEDIA_TYPE)
                .entity(body(type, detail, instance, fields));
        header(response, Headers.SERVED_BY, fields.get("servedBy"));
        header(response, Headers.SHARD, fields.get("shard"));
        header(response, "Retry-After", fields.get(RETRY_AFTER));
        return response.build();
    }

    private static void header(Response.ResponseBuilder response, String name, Object value) {
        if (value != null) {
            response.header(name, value);
        }
    }
}
