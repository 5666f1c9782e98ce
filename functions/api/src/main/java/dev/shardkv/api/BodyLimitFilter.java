package dev.shardkv.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a body over its route's {@link BodyLimits limit} from its Content-Length, before reading
 * it, with the same problem+json as any other refusal (on Lambda, where API Gateway always gives the
 * length; the embedded server also counts chunked bodies as they arrive, see HttpGuard).
 */
public class BodyLimitFilter {

    @ServerRequestFilter(preMatching = true)
    public Response refuseHugeBodies(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return null;
        }
        long bytes;
        try {
            bytes = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return null; // the HTTP layer refuses a malformed length itself
        }
        long limit = BodyLimits.of(request.getUriInfo().getPath());
        if (bytes <= limit) {
            return null;
        }
        Map<String, Object> fields = new HashMap<>(BodyLimits.fields(limit));
        fields.put("bytes", bytes);
        return Problems.response(BodyLimits.TYPE, BodyLimits.detail(bytes, limit),
                request.getUriInfo().getRequestUri().getRawPath(), fields);
    }
}
