package dev.shardkv.api;

import dev.shardkv.api.model.QueryResponse;
import dev.shardkv.core.consistency.Consistency;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.gateway.QueryRequest;
import dev.shardkv.core.query.Filter;
import dev.shardkv.core.query.QueryKind;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /v1/query/...}: scatter-gather over every shard in parallel, under one deadline. Every
 * answer lists each shard's status; a shard that failed or missed the deadline makes it
 * {@code "partial": true} and is named in {@code missing}.
 */
@Path("/v1/query")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "query", description = "Scatter-gather queries across shards")
public class QueryResource {
    @Inject
    Gateway gateway;

    @GET
    @Path("count")
    @Operation(operationId = "count", summary = "How many live items, optionally with a key prefix")
    @APIResponse(responseCode = "200", description = "The count, with every shard's status")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "429", ref = ApiDocument.THROTTLED)
    @APIResponse(responseCode = "500", ref = ApiDocument.INTERNAL)
    public QueryResponse count(@QueryParam("prefix") String prefix, @QueryParam("consistency") String consistency,
            @QueryParam("timeoutMs") String timeoutMs) {
        return query(new QueryRequest(QueryKind.COUNT, prefix, null, null, 0, null,
                Consistency.parse(consistency), timeout(timeoutMs)));
    }

    @GET
    @Path("top")
    @Operation(operationId = "top",
            summary = "The n items with the highest value of a numeric JSON field (field may be a dotted path)")
    @APIResponse(responseCode = "200", description = "The items, highest first, with every shard's status")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "429", ref = ApiDocument.THROTTLED)
    @APIResponse(responseCode = "500", ref = ApiDocument.INTERNAL)
    public QueryResponse top(@QueryParam("field") String field, @QueryParam("n") String n,
            @QueryParam("prefix") String prefix, @QueryParam("consistency") String consistency,
            @QueryParam("timeoutMs") String timeoutMs) {
        if (field == null || field.isBlank()) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST, "top needs field, the numeric JSON field to rank by.");
        }
        return query(new QueryRequest(QueryKind.TOP, prefix, null, field,
                (int) QueryRequest.number("n", n, 10, 1, QueryRequest.MAX_N), null, Consistency.parse(consistency),
                timeout(timeoutMs)));
    }

    @GET
    @Path("scan")
    @Operation(operationId = "scan", summary = "Items with a key prefix matching a filter (field op value), a page at a time",
            description = "op: eq, ne, gt, gte, lt, lte. Pass back the answer's cursor for the next page.")
    @APIResponse(responseCode = "200", description = "A page of items, with every shard's status and the next cursor")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    @APIResponse(responseCode = "429", ref = ApiDocument.THROTTLED)
    @APIResponse(responseCode = "500", ref = ApiDocument.INTERNAL)
    public QueryResponse scan(@QueryParam("prefix") String prefix, @QueryParam("field") String field,
            @QueryParam("op") String op, @QueryParam("value") String value, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor, @QueryParam("consistency") String consistency,
            @QueryParam("timeoutMs") String timeoutMs) {
        return query(new QueryRequest(QueryKind.SCAN, prefix, filter(field, op, value), null,
                (int) QueryRequest.number("limit", limit, QueryRequest.DEFAULT_PAGE, 1, QueryRequest.MAX_PAGE), cursor,
                Consistency.parse(consistency), timeout(timeoutMs)));
    }

    private QueryResponse query(QueryRequest request) {
        return QueryResponse.of(gateway.query(request));
    }

    /** No filter, or all of field, op and value. */
    private static Filter filter(String field, String op, String value) {
        if (field == null && op == null && value == null) {
            return null;
        }
        if (field == null || op == null || value == null) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST,
                    "A filter needs all of field, op and value (e.g. field=plan&op=eq&value=gold).");
        }
        return new Filter(field, Filter.Op.parse(op), value);
    }

    private static long timeout(String text) {
        return QueryRequest.number("timeoutMs", text, QueryRequest.DEFAULT_TIMEOUT_MS, 1, QueryRequest.MAX_TIMEOUT_MS);
    }
}
