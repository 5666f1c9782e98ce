package dev.shardkv.api;

import dev.shardkv.core.error.ProblemType;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A configured bearer token for the API ({@code shardkv.auth.token}), as the embedded runtime's
 * stand-in for API Gateway's IAM or JWT authorization. Off when no token is configured; the live
 * page, health and OpenAPI stay open.
 */
public class TokenAuthFilter {
    @ConfigProperty(name = "shardkv.auth.token")
    Optional<String> token;

    @ServerRequestFilter(preMatching = true)
    public Response requireToken(ContainerRequestContext request) {
        if (token.isEmpty() || token.get().isBlank() || !request.getUriInfo().getPath().startsWith("/v1/")) {
            return null;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String expected = "Bearer " + token.get();
        if (header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        Response problem = Problems.response(ProblemType.UNAUTHORIZED,
                header == null ? "Send Authorization: Bearer <token>; this server requires the token it was started with."
                        : "The bearer token is not the one this server was started with.",
                request.getUriInfo().getRequestUri().getRawPath(), Map.of());
        return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"shardkv\"").build();
    }
}
