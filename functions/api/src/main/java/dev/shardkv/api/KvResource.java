package dev.shardkv.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.Map;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /v1/kv/{key}}: single-key reads and writes, routed by key to the key's shard. */
@Path("/v1/kv")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "kv", description = "Single-key reads and writes")
public class KvResource {
    private static final String KEY = "{key: .+}";

    @Inject
    Gateway gateway;

    @PUT
    @Path(KEY)
    @Operation(summary = "Create or replace a key's value (any JSON value)",
            description = "201 when created, 200 when replaced. If-Match: \"<version>\" or If-None-Match: * make it "
                    + "conditional (412 when the condition fails). Answers ETag, X-Shard, X-Consistency-Token.")
    public Response put(@Context HttpServerRequest http,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @Parameter(description = "the token of the client's earlier writes, merged into the answer's token")
            @HeaderParam(Headers.CONSISTENCY_TOKEN) String token,
            byte[] body) {
        String key = key(http);
        requireJson(contentType);
        Precondition precondition = Precondition.fromHeaders(ifMatch, ifNoneMatch);
        ConsistencyToken previous = ConsistencyToken.parse(token);
        String value = ValueCodec.compact(body);
        WriteResult result = gateway.put(key, value, precondition, previous);
        ObjectNode json = JsonNodeFactory.instance.objectNode()
                .put("key", key).put("version", result.item().version()).put("shard", result.shard());
        Response.ResponseBuilder response = result.created()
                ? Response.created(UriBuilder.fromPath("/v1/kv/{key}").build(key))
                : Response.ok();
        return written(response, result).entity(json).build();
    }

    @GET
    @Path(KEY)
    @Operation(summary = "Read a key",
            description = "consistency: eventual (default: any healthy replica), bounded (with maxStalenessMs), "
                    + "session (with X-Consistency-Token), strong (the leader). Answers X-Served-By, "
                    + "X-Replica-Lag-Ms, ETag.")
    public Response get(@Context HttpServerRequest http,
            @QueryParam("consistency") String consistency,
            @HeaderParam(Headers.CONSISTENCY) String consistencyHeader,
            @QueryParam("maxStalenessMs") String maxStalenessMs,
            @HeaderParam(Headers.MAX_STALENESS_MS) String maxStalenessHeader,
            @HeaderParam(Headers.CONSISTENCY_TOKEN) String token) {
        String key = key(http);
        ReadOptions options = ReadOptions.parse(
                oneOf("consistency", consistency, Headers.CONSISTENCY, consistencyHeader),
                oneOf("maxStalenessMs", maxStalenessMs, Headers.MAX_STALENESS_MS, maxStalenessHeader),
                token);
        ReadResult result = gateway.get(key, options);
        if (!result.found()) {
            throw new ShardKvException(ProblemType.NOT_FOUND, "No item has the key \"" + key + "\".",
                    Map.of("key", key, "shard", result.shard(), "servedBy", result.servedBy()));
        }
        ObjectNode json = JsonNodeFactory.instance.objectNode().put("key", key);
        json.putRawValue("value", new RawValue(result.item().value()));
        json.put("version", result.item().version());
        Response.ResponseBuilder response = Response.ok(json)
                .tag(etag(result.item().version()))
                .header(Headers.SHARD, result.shard())
                .header(Headers.SERVED_BY, result.servedBy());
        result.stalenessMs().ifPresent(lag -> response.header(Headers.REPLICA_LAG_MS, lag));
        return response.build();
    }

    @DELETE
    @Path(KEY)
    @Operation(summary = "Delete a key", description = "204; 404 when absent; If-Match makes it conditional (412).")
    public Response delete(@Context HttpServerRequest http,
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
        return written(Response.noContent(), result).build();
    }

    // An empty key never reaches the methods above; answer it plainly instead of "no such endpoint".
    @PUT
    public Response putEmptyKey(@Context HttpServerRequest http) {
        throw emptyKey(http);
    }

    @GET
    public Response getEmptyKey(@Context HttpServerRequest http) {
        throw emptyKey(http);
    }

    @DELETE
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

    private static final String PREFIX = "/v1/kv/";

    private static ShardKvException emptyKey(HttpServerRequest http) {
        String key = key(http);
        if (!key.isEmpty()) {
            // Routing strips ";params" from path segments, so such a key never reaches the methods above.
            return new ShardKvException(ProblemType.INVALID_KEY, "A key must not start with ';'.", Map.of("key", key));
        }
        return new ShardKvException(ProblemType.INVALID_KEY, "The key must not be empty: use /v1/kv/{key}.");
    }

    private static Response.ResponseBuilder written(Response.ResponseBuilder response, WriteResult result) {
        return response.tag(etag(result.item().version()))
                .header(Headers.SHARD, result.shard())
                .header(Headers.CONSISTENCY_TOKEN, result.token().encode());
    }

    private static jakarta.ws.rs.core.EntityTag etag(long version) {
        return new jakarta.ws.rs.core.EntityTag(Long.toString(version));
    }

    static void requireJson(String contentType) {
        MediaType type;
        try {
            type = contentType == null ? null : MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            type = null;
        }
        boolean json = type != null && "application".equalsIgnoreCase(type.getType())
                && ("json".equalsIgnoreCase(type.getSubtype()) || type.getSubtype().toLowerCase(java.util.Locale.ROOT).endsWith("+json"));
        if (!json) {
            throw new ShardKvException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "Send the value as application/json; got " + (contentType == null ? "no Content-Type" : contentType) + ".",
                    Map.of("supported", "application/json"));
        }
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
