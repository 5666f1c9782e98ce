package dev.shardkv.api;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.kv.ValueCodec;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a body far over the value limit before reading it, with the same problem+json as any other
 * refusal. Bodies up to four times the limit are read and measured exactly as compact JSON (whitespace
 * does not count against the limit).
 */
public class BodyLimitFilter {
    static final long READ_LIMIT = 4L * ValueCodec.MAX_VALUE_BYTES;
    /** A transaction may carry up to DynamoDB's 4 MB, plus JSON punctuation. */
    static final long TX_READ_LIMIT = 5L * 1024 * 1024;

    @ServerRequestFilter(preMatching = true)
    public Response refuseHugeBodies(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return null;
        }
        try {
            long bytes = Long.parseLong(length.trim());
            long limit = request.getUriInfo().getPath().startsWith("/v1/tx") ? TX_READ_LIMIT : READ_LIMIT;
            if (bytes > limit) {
                return Problems.response(ProblemType.VALUE_TOO_LARGE,
                        "The body is %d bytes; values are limited to %d bytes of compact JSON.".formatted(bytes,
                                ValueCodec.MAX_VALUE_BYTES),
                        request.getUriInfo().getRequestUri().getRawPath(),
                        Map.of("bytes", bytes, "limit", ValueCodec.MAX_VALUE_BYTES));
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }
}
