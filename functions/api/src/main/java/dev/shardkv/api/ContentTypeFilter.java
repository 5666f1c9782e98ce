package dev.shardkv.api;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A Content-Type that is not a media type at all would fail inside the REST layer's content
 * negotiation with a bare "HTTP 400 Bad Request"; say what is wrong instead.
 */
public class ContentTypeFilter {

    @ServerRequestFilter(preMatching = true)
    public void refuseMalformedContentType(ContainerRequestContext request) {
        String contentType = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        try {
            MediaType type = MediaType.valueOf(contentType);
            if (!type.getType().isBlank() && !type.getSubtype().isBlank()) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the refusal
        }
        throw new ShardKvException(ProblemType.INVALID_REQUEST,
                "The Content-Type header is not a media type (type/subtype, e.g. application/json); got: " + contentType,
                Map.of("header", HttpHeaders.CONTENT_TYPE));
    }
}
