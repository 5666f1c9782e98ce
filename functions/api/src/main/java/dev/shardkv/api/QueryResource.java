package dev.shardkv.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardkv.core.consistency.Consistency;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.gateway.QueryAnswer;
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
    @Operation(summary = "How many live items, optionally with a key prefix")
    public ObjectNode count(@QueryParam("prefix") String prefix, @QueryParam("consistency") String consistency,
            @QueryParam("timeoutMs") String timeoutMs) {
        return answer(gateway.query(new QueryRequest(QueryKind.COUNT, prefix, null, null, 0, null,
                consistency(consistency), timeout(timeoutMs))));
    }

    @GET
    @Path("top")
    @Operation(summary = "The n items with the highest value of a numeric JSON field (field may be a dotted path)")
    public ObjectNode top(@QueryParam("field") String field, @QueryParam("n") String n,
            @QueryParam("prefix") String prefix, @QueryParam("consistency") String consistency,
            @QueryParam("timeoutMs") String timeoutMs) {
        if (field == null || field.isBlank()) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST, "top needs field, the numeric JSON field to rank by.");
        }
        return answer(gateway.query(new QueryRequest(QueryKind.TOP, prefix, null, field,
                (int) QueryRequest.number("n", n, 10, 1, QueryRequest.MAX_N), null, consistency(consistency),
                timeout(timeoutMs))));
    }

    @GET
    @Path("scan")
    @Operation(summary = "Items with a key prefix matching a filter (field op value), a page at a time",
            description = "op: eq, ne, gt, gte, lt, lte. Pass back the answer's cursor for the next page.")
    public ObjectNode scan(@QueryParam("prefix") String prefix, @QueryParam("field") String field,
            @QueryParam("op") String op, @QueryParam("value") String value, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor, @QueryParam("consistency") String consistency,
            @QueryParam("timeoutMs") String timeoutMs) {
        Filter filter = null;
        boolean any = field != null || op != null || value != null;
        if (any) {
            if (field == null || op == null || value == null) {
                throw new ShardKvException(ProblemType.INVALID_REQUEST,
                        "A filter needs all of field, op and value (e.g. field=plan&op=eq&value=gold).");
            }
            filter = new Filter(field, Filter.Op.parse(op), value);
        }
        return answer(gateway.query(new QueryRequest(QueryKind.SCAN, prefix, filter, null,
                (int) QueryRequest.number("limit", limit, QueryRequest.DEFAULT_PAGE, 1, QueryRequest.MAX_PAGE), cursor,
                consistency(consistency),
                timeout(timeoutMs))));
    }

    private static Consistency consistency(String text) {
        return Consistency.parse(text);
    }

    private static long timeout(String text) {
        return QueryRequest.number("timeoutMs", text, QueryRequest.DEFAULT_TIMEOUT_MS, 1, QueryRequest.MAX_TIMEOUT_MS);
    }

    private static ObjectNode answer(QueryAnswer answer) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ArrayNode items = json.putArray("items");
        answer.items().forEach(item -> items.add(Json.item(item)));
        if (answer.count() != null) {
            json.put("count", answer.count());
        }
        ArrayNode shards = json.putArray("shards");
        for (QueryAnswer.ShardOutcome s : answer.shards()) {
            ObjectNode shard = shards.addObject().put("shard", s.shard()).put("status", s.status())
                    .put("count", s.count()).put("ms", s.ms());
            if (s.servedBy() != null) {
                shard.put("servedBy", s.servedBy());
            }
        }
        json.put("partial", answer.partial());
        ArrayNode missing = json.putArray("missing");
        answer.missing().forEach(missing::add);
        if (answer.cursor() == null) {
            json.putNull("cursor");
        } else {
            json.put("cursor", answer.cursor());
        }
        json.put("ms", answer.ms());
        if (!answer.undecodable().isEmpty()) {
            ArrayNode undecodable = json.putArray("undecodable");
            answer.undecodable().forEach(u -> undecodable.addObject().put("key", u.key()).put("shard", u.shard())
                    .put("servedBy", u.servedBy()));
        }
        return json;
    }
}
