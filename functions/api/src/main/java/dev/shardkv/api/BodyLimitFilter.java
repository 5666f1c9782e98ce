package dev.shardkv.api;

import dev.shardkv.core.error.ShardKvException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.HashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a body over its route's {@link BodyLimits limit} from its Content-Length, before reading
 * it, with the same problem+json as any other refusal (thrown to {@link ProblemMappers}); on Lambda
 * API Gateway always gives the length, and the embedded server also counts chunked bodies as they
 * arrive (see HttpGuard).
 */
public class BodyLimitFilter {

    @ServerRequestFilter(preMatching = true)
    public void refuseHugeBodies(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return;
        }
        long bytes;
        try {
            bytes = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return; // the HTTP layer refuses a malformed length itself
        }
        long limit = BodyLimits.of(request.getUriInfo().getPath());
        if (bytes <= limit) {
            return;
        }
        Map<String, Object> fields = new HashMap<>(BodyLimits.fields(limit));
        fields.put("bytes", bytes);
        throw new ShardKvException(BodyLimits.TYPE, BodyLimits.detail(bytes, limit), fields);
    }
}
