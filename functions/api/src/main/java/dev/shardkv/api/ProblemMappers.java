package dev.shardkv.api;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error of the REST layer leaves here, as RFC 9457 problem+json with a clear detail: never a
 * stack trace, never a 500 for bad input. Resources, body readers and request filters throw a
 * {@link ShardKvException}; the REST layer's own refusals (no such endpoint, wrong method...) are
 * turned into one.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String INTERNAL = "The request failed inside ShardKV; it is logged.";

    @ServerExceptionMapper
    public Response refused(ShardKvException e, UriInfo uri) {
        return Problems.response(e.type(), e.detail(), path(uri), e.fields());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        ShardKvException refusal = refusal(e, uri);
        Response response = refused(refusal, uri);
        if (refusal.type() == ProblemType.METHOD_NOT_ALLOWED) {
            return Response.fromResponse(response).allow(allowed(uri)).build();
        }
        return response;
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.error("request failed", e);
        return refused(new ShardKvException(ProblemType.INTERNAL, INTERNAL), uri);
    }

    private static ShardKvException refusal(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        return switch (e) {
            case NotFoundException x -> new ShardKvException(ProblemType.NO_SUCH_ENDPOINT,
                    "There is no endpoint at " + path(uri) + "; see /q/openapi.");
            case NotAllowedException x -> new ShardKvException(ProblemType.METHOD_NOT_ALLOWED,
                    "This endpoint does not take that method; it takes " + String.join(", ", allowed(uri)) + ".");
            case NotSupportedException x -> new ShardKvException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send application/json.");
            case NotAcceptableException x -> new ShardKvException(ProblemType.NOT_ACCEPTABLE,
                    "This endpoint answers application/json (errors: application/problem+json).");
            default -> {
                if (status == 413) {
                    yield new ShardKvException(ProblemType.VALUE_TOO_LARGE, "The request body is too large.");
                }
                if (status >= 400 && status < 500) {
                    yield new ShardKvException(ProblemType.INVALID_REQUEST, e.getMessage());
                }
                LOG.error("request failed", e);
                yield new ShardKvException(ProblemType.INTERNAL, INTERNAL);
            }
        };
    }

    private static Set<String> allowed(UriInfo uri) {
        return uri == null ? Set.of() : AllowedMethods.of(uri.getPath());
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }
}
