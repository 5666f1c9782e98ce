package dev.shardkv.local;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /dashboard}: the live lag page lives at {@code /}. */
@Path("/dashboard")
public class DashboardRedirect {
    @GET
    @Operation(hidden = true)
    public Response dashboard() {
        return Response.seeOther(URI.create("/")).build();
    }
}
