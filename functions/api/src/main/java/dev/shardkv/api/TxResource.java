package dev.shardkv.api;

import dev.shardkv.api.model.TxRequest;
import dev.shardkv.api.model.TxResponse;
import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.tx.TxOutcome;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code POST /v1/tx}: an atomic list of puts, deletes and checks on keys of one or several shards.
 * On the leaders it is all or nothing and isolated (ACID); each replica shows its shard's part when
 * that shard's replicator applies it, so replicas converge shard by shard (BASE).
 */
@Path("/v1/tx")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tx", description = "Transactions on the leaders")
public class TxResource {
    @Inject
    Gateway gateway;

    @POST
    @Operation(operationId = "transact", summary = "Commit up to 100 operations atomically",
            description = "Each operation: put (with a value, any JSON), delete or check, optionally conditioned on the "
                    + "version the key must have (0: must not exist). 200 with the versions written; 409 naming the "
                    + "operations whose condition failed, and nothing written. Answers X-Consistency-Token.")
    @RequestBody(required = true)
    @APIResponse(responseCode = "200", description = "Committed")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    @APIResponse(responseCode = "413", ref = ApiDocument.TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ApiDocument.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "429", ref = ApiDocument.THROTTLED)
    @APIResponse(responseCode = "500", ref = ApiDocument.INTERNAL)
    @APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
    public RestResponse<TxResponse> transact(@HeaderParam(Headers.CONSISTENCY_TOKEN) String token, TxRequest request) {
        var answer = gateway.transact(request.ops(), ConsistencyToken.parse(token));
        TxOutcome outcome = answer.outcome();
        if (!outcome.committed()) {
            throw notCommitted(outcome, answer.shards());
        }
        return RestResponse.ResponseBuilder.ok(TxResponse.of(answer.shards(), outcome))
                .header(Headers.CONSISTENCY_TOKEN, answer.token().encode()).build();
    }

    /** 409, naming the operations whose condition did not hold. */
    private static ShardKvException notCommitted(TxOutcome outcome, List<String> shards) {
        List<TxOutcome.Failure> failed = outcome.failures();
        String detail = failed.isEmpty() ? "The transaction did not commit: " + outcome.reason() + "."
                : "The transaction did not commit, and nothing was written: the condition of "
                        + failed.size() + " operation(s) did not hold.";
        return new ShardKvException(ProblemType.CONFLICT, detail, Map.of("failed", failed, "shards", shards));
    }
}
