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
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as RFC 9457 problem+json with a clear detail: never a stack trace, never a 500 for bad input. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response refused(ShardKvException e, UriInfo uri) {
        return Problems.response(e.type(), e.detail(), path(uri), e.fields());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        ProblemType type;
        String detail;
        if (e instanceof NotFoundException) {
            type = ProblemType.NO_SUCH_ENDPOINT;
            detail = "There is no endpoint at " + path(uri) + "; see /q/openapi.";
        } else if (e instanceof NotAllowedException) {
            type = ProblemType.METHOD_NOT_ALLOWED;
            detail = "This endpoint does not take that method; it takes " + String.join(", ", allowed(uri)) + ".";
        } else if (e instanceof NotSupportedException) {
            type = ProblemType.UNSUPPORTED_MEDIA_TYPE;
            detail = "Send application/json.";
        } else if (e instanceof NotAcceptableException) {
            type = ProblemType.NOT_ACCEPTABLE;
            detail = "This endpoint answers application/json (errors: application/problem+json).";
        } else if (status == 413) {
            type = ProblemType.VALUE_TOO_LARGE;
            detail = "The request body is too large.";
        } else if (status >= 400 && status < 500) {
            type = ProblemType.INVALID_REQUEST;
            detail = e.getMessage();
        } else {
            LOG.error("request failed", e);
            type = ProblemType.INTERNAL;
            detail = "The request failed inside ShardKV; it is logged.";
        }
        Response response = Problems.response(type, detail, path(uri), Map.of());
        if (type == ProblemType.METHOD_NOT_ALLOWED) {
            return Response.fromResponse(response).allow(allowed(uri)).build();
        }
        return response;
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.error("request failed", e);
        return Problems.response(ProblemType.INTERNAL, "The request failed inside ShardKV; it is logged.", path(uri),
                Map.of());
    }

    private static java.util.Set<String> allowed(UriInfo uri) {
        return uri == null ? java.util.Set.of() : AllowedMethods.of(uri.getPath());
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }
}
