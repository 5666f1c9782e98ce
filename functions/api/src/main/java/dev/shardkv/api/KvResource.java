package dev.shardkv.api;

import dev.shardkv.api.model.ItemResponse;
import dev.shardkv.api.model.PutResponse;
import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.gateway.ReadOptions;
import dev.shardkv.core.gateway.ReadResult;
import dev.shardkv.core.gateway.WriteResult;
import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.ValueCodec;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.Map;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** {@code /v1/kv/{key}}: single-key reads and writes, routed by key to the key's shard. */
@Path("/v1/kv")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "kv", description = "Single-key reads and writes")
public class KvResource {
    private static final String KEY = "{key: .+}";
    private static final String PREFIX = "/v1/kv/";

    @Inject
    Gateway gateway;

    @PUT
    @Path(KEY)
    @Operation(operationId = "putValue", summary = "Create or replace a key's value (any JSON value)",
            description = "201 when created, 200 when replaced. If-Match: \"<version>\" or If-None-Match: * make it "
                    + "conditional (412 when the condition fails). Answers ETag, X-Shard, X-Consistency-Token.")
    @Parameter(ref = ApiDocument.KEY)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(
            implementation = Object.class, description = "The value: any JSON value, at most 256 KiB as compact JSON")))
    @APIResponse(responseCode = "200", description = "Replaced",
            content = @Content(schema = @Schema(implementation = PutResponse.class)))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = PutResponse.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "412", ref = ApiDocument.PRECONDITION_FAILED)
    @APIResponse(responseCode = "413", ref = ApiDocument.TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ApiDocument.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "429", ref = ApiDocument.THROTTLED)
    @APIResponse(responseCode = "500", ref = ApiDocument.INTERNAL)
    @APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
    public RestResponse<PutResponse> put(@Context HttpServerRequest http,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @Parameter(description = "the token of the client's earlier writes, merged into the answer's token")
            @HeaderParam(Headers.CONSISTENCY_TOKEN) String token,
            byte[] body) {
        String key = key(http); // first: a bad key is refused before the body is looked at
        JsonMedia.require(contentType);
        Precondition precondition = Precondition.fromHeaders(ifMatch, ifNoneMatch);
        ConsistencyToken previous = ConsistencyToken.parse(token);
        WriteResult result = gateway.put(key, ValueCodec.compact(body), precondition, previous);
        RestResponse.ResponseBuilder<PutResponse> response = result.created()
                ? RestResponse.ResponseBuilder.created(UriBuilder.fromPath("/v1/kv/{key}").build(key))
                : RestResponse.ResponseBuilder.ok();
        return written(response, result).entity(PutResponse.of(key, result)).build();
    }

    @GET
    @Path(KEY)
    @Operation(operationId = "getValue", summary = "Read a key",
            description = "consistency: eventual (default: any healthy replica), bounded (with maxLagMs), "
                    + "session (with X-Consistency-Token), strong (the leader). Answers X-Served-By, "
                    + "X-Replica-Lag-Ms, ETag.")
    @Parameter(ref = ApiDocument.KEY)
    @APIResponse(responseCode = "200", description = "The item",
            content = @Content(schema = @Schema(implementation = ItemResponse.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    @APIResponse(responseCode = "500", ref = ApiDocument.INTERNAL)
    @APIResponse(responseCode = "502", ref = ApiDocument.UNDECODABLE)
    @APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
    public RestResponse<ItemResponse> get(@Context HttpServerRequest http,
            @QueryParam("consistency") String consistency,
            @HeaderParam(Headers.CONSISTENCY) String consistencyHeader,
            @QueryParam("maxLagMs") String maxLagMs,
            @HeaderParam(Headers.MAX_LAG_MS) String maxLagHeader,
            @HeaderParam(Headers.CONSISTENCY_TOKEN) String token) {
        String key = key(http);
        ReadOptions options = Renamed.readOptions(
                oneOf("consistency", consistency, Headers.CONSISTENCY, consistencyHeader),
                oneOf("maxLagMs", maxLagMs, Headers.MAX_LAG_MS, maxLagHeader),
                token, http.getParam(Renamed.MAX_STALENESS_MS), http.getHeader(Renamed.MAX_STALENESS_HEADER));
        ReadResult result = gateway.get(key, options);
        if (!result.found()) {
            throw new ShardKvException(ProblemType.NOT_FOUND, "No item has the key \"" + key + "\".",
                    Map.of("key", key, "shard", result.shard(), "servedBy", result.servedBy()));
        }
        RestResponse.ResponseBuilder<ItemResponse> response = RestResponse.ResponseBuilder
                .ok(new ItemResponse(key, result.item().value(), result.item().version()))
                .tag(etag(result.item().version()))
                .header(Headers.SHARD, result.shard())
                .header(Headers.SERVED_BY, result.servedBy());
        result.lagMs().ifPresent(lag -> response.header(Headers.REPLICA_LAG_MS, lag));
        return response.build();
    }

    @DELETE
    @Path(KEY)
    @Operation(operationId = "deleteValue", summary = "Delete a key",
            description = "204; 404 when absent; If-Match makes it conditional (412).")
    @Parameter(ref = ApiDocument.KEY)
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    @APIResponse(responseCode = "412", ref = ApiDocument.PRECONDITION_FAILED)
    @APIResponse(responseCode = "429", ref = ApiDocument.THROTTLED)
    @APIResponse(responseCode = "500", ref = ApiDocument.INTERNAL)
    @APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
    public RestResponse<Void> delete(@Context HttpServerRequest http,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @HeaderParam(Headers.CONSISTENCY_TOKEN) String token) {
        String key = key(http);
        if (ifNoneMatch != null && !ifNoneMatch.isBlank()) {
            throw new ShardKvException(ProblemType.INVALID_PRECONDITION,
                    "If-None-Match has no meaning on DELETE; use If-Match: \"<version>\".");
        }
        Precondition precondition = Precondition.fromHeaders(ifMatch, null);
        WriteResult result = gateway.delete(key, precondition, ConsistencyToken.parse(token));
        return written(RestResponse.ResponseBuilder.<Void>noContent(), result).build();
    }

    // An empty key never reaches the methods above; answer it plainly instead of "no such endpoint".
    @PUT
    @Operation(hidden = true)
    public Response putEmptyKey(@Context HttpServerRequest http) {
        throw emptyKey(http);
    }

    @GET
    @Operation(hidden = true)
    public Response getEmptyKey(@Context HttpServerRequest http) {
        throw emptyKey(http);
    }

    @DELETE
    @Operation(hidden = true)
    public Response deleteEmptyKey(@Context HttpServerRequest http) {
        throw emptyKey(http);
    }

    /**
     * The key is taken from the raw request path, not from JAX-RS's decoded path parameter, which
     * turns bad UTF-8 into U+FFFD and drops {@code ;params}: see {@link Keys#fromPath}.
     */
    static String key(HttpServerRequest http) {
        String path = http.path();
        int at = path.indexOf(PREFIX);
        return Keys.fromPath(at < 0 ? "" : path.substring(at + PREFIX.length()));
    }

    private static ShardKvException emptyKey(HttpServerRequest http) {
        String key = key(http);
        if (!key.isEmpty()) {
            // Routing strips ";params" from path segments, so such a key never reaches the methods above.
            return new ShardKvException(ProblemType.INVALID_KEY, "A key must not start with ';'.", Map.of("key", key));
        }
        return new ShardKvException(ProblemType.INVALID_KEY, "The key must not be empty: use /v1/kv/{key}.");
    }

    private static <T> RestResponse.ResponseBuilder<T> written(RestResponse.ResponseBuilder<T> response,
            WriteResult result) {
        return response.tag(etag(result.item().version()))
                .header(Headers.SHARD, result.shard())
                .header(Headers.CONSISTENCY_TOKEN, result.token().encode());
    }

    private static EntityTag etag(long version) {
        return new EntityTag(Long.toString(version));
    }

    private static String oneOf(String queryName, String query, String headerName, String header) {
        boolean hasQuery = query != null && !query.isBlank();
        boolean hasHeader = header != null && !header.isBlank();
        if (hasQuery && hasHeader && !Objects.equals(query.trim(), header.trim())) {
            throw new ShardKvException(ProblemType.INVALID_CONSISTENCY,
                    "The query parameter " + queryName + "=" + query + " and the header " + headerName + ": " + header
                            + " disagree; send one of them.");
        }
        return hasQuery ? query : header;
    }
}
