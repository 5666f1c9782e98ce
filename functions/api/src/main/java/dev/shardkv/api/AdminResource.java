package dev.shardkv.api;

import dev.shardkv.api.model.MergeBody;
import dev.shardkv.api.model.OperationView;
import dev.shardkv.api.model.OperationsResponse;
import dev.shardkv.api.model.SplitBody;
import dev.shardkv.api.model.VerifyBody;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.reshard.OperationIds;
import dev.shardkv.core.reshard.Reshards;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code /v1/admin}: splits and merges of shards while the store serves. Starting one answers 202 at once
 * with the operation, which runs in the background (copying, catching-up, verifying, cutting-over, done);
 * {@code GET /v1/admin/operations/{id}} follows it, {@code DELETE} aborts it before its cutover. A refused
 * request starts nothing.
 */
@Path("/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Splits and merges of shards, replicas added and removed, online, and"
        + " verifications of replicas")
public class AdminResource {
    static final String OPERATIONS = "/v1/admin/operations/";
    private static final String ID = "An operation id, e.g. op-1764571200000-k7q2mzpa";
    private static final String SHARD = "A shard id, e.g. a-l";

    @Inject
    Reshards reshards;

    @POST
    @Path("splits")
    @Operation(operationId = "split", summary = "Split a shard in two at a routing key",
            description = "Checks the split against the shard map, then starts it: 202 with the operation and "
                    + "Location: /v1/admin/operations/{id}. The shard keeps serving reads and writes while its items "
                    + "are copied; writes pause briefly at the cutover. 409 operation-conflict while another "
                    + "operation holds the shard.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SplitBody.class)))
    @APIResponse(responseCode = "202", description = "Started",
            content = @Content(schema = @Schema(implementation = OperationView.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.UNKNOWN_SHARD)
    @APIResponse(responseCode = "409", ref = ApiDocument.RESHARD_CONFLICT)
    @APIResponse(responseCode = "413", ref = ApiDocument.TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ApiDocument.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "500", ref = ApiDocument.INTERNAL)
    @APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
    public RestResponse<OperationView> split(SplitBody body) {
        return started(reshards.split(required(body).request()));
    }

    @POST
    @Path("merges")
    @Operation(operationId = "merge", summary = "Merge two adjacent shards into one",
            description = "Checks the merge against the shard map, then starts it: 202 with the operation and "
                    + "Location: /v1/admin/operations/{id}. 409 operation-conflict while another operation holds "
                    + "either shard.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = MergeBody.class)))
    @APIResponse(responseCode = "202", description = "Started",
            content = @Content(schema = @Schema(implementation = OperationView.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.UNKNOWN_SHARD)
    @APIResponse(responseCode = "409", ref = ApiDocument.RESHARD_CONFLICT)
    @APIResponse(responseCode = "413", ref = ApiDocument.TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ApiDocument.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "500", ref = ApiDocument.INTERNAL)
    @APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
    public RestResponse<OperationView> merge(MergeBody body) {
        return started(reshards.merge(required(body).request()));
    }

    @POST
    @Path("verifications")
    @Operation(operationId = "verify", summary = "Compare replicas with their leaders, and repair if asked",
            description = "Starts comparing every replica of the shard (every shard when none is named) with its "
                    + "leader: 202 with the operation and Location: /v1/admin/operations/{id}. Its result lists, per "
                    + "replica, the keys compared, missing, different, extra, repaired and in flight (a change the "
                    + "replica has not applied yet: not a difference). {} verifies every shard without repairing. "
                    + "409 operation-conflict while another operation holds a shard.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = VerifyBody.class)))
    @APIResponse(responseCode = "202", description = "Started",
            content = @Content(schema = @Schema(implementation = OperationView.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.UNKNOWN_SHARD)
    @APIResponse(responseCode = "409", ref = ApiDocument.RESHARD_CONFLICT)
    @APIResponse(responseCode = "413", ref = ApiDocument.TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ApiDocument.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "500", ref = ApiDocument.INTERNAL)
    @APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
    public RestResponse<OperationView> verify(VerifyBody body) {
        return started(reshards.verify(required(body).request()));
    }

    @POST
    @Path("shards/{id}/replicas")
    @Operation(operationId = "addReplica", summary = "Add a replica to a shard, online",
            description = "Starts adding replica N+1 to the shard: 202 with the operation and Location: "
                    + "/v1/admin/operations/{id}. Its table is fed by the leader's stream first, then filled with a "
                    + "consistent copy of the leader (copying), caught up (catching-up) and compared with the leader "
                    + "(verifying); only then does the shard map (epoch + 1) list it (cutting-over), so no read "
                    + "reaches it before. No body. 400 invalid-reshard at 10 replicas; on AWS 409 "
                    + "shard-not-provisioned until topology.json gives the shard that many replicas and terraform "
                    + "apply has made the table; 409 operation-conflict while another operation holds the shard.")
    @APIResponse(responseCode = "202", description = "Started",
            content = @Content(schema = @Schema(implementation = OperationView.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.UNKNOWN_SHARD)
    @APIResponse(responseCode = "409", ref = ApiDocument.RESHARD_CONFLICT)
    @APIResponse(responseCode = "500", ref = ApiDocument.INTERNAL)
    @APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
    public RestResponse<OperationView> addReplica(@Parameter(description = SHARD) @PathParam("id") String shard) {
        return started(reshards.addReplica(shard));
    }

    @DELETE
    @Path("shards/{id}/replicas/{n}")
    @Operation(operationId = "removeReplica", summary = "Remove a shard's last replica, online",
            description = "Starts removing replica n: 202 with the operation and Location: /v1/admin/operations/{id}. "
                    + "The shard map without it (epoch + 1) goes out first, so reads stop; its table is dropped "
                    + "once readers holding the old map have moved on (on AWS, by the next terraform apply of a "
                    + "topology with one replica fewer). Only the last replica can go, and a shard keeps one: 400 "
                    + "invalid-reshard; 404 unknown-replica for a number the shard does not have.")
    @APIResponse(responseCode = "202", description = "Started",
            content = @Content(schema = @Schema(implementation = OperationView.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.UNKNOWN_SHARD)
    @APIResponse(responseCode = "409", ref = ApiDocument.RESHARD_CONFLICT)
    @APIResponse(responseCode = "500", ref = ApiDocument.INTERNAL)
    @APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
    public RestResponse<OperationView> removeReplica(@Parameter(description = SHARD) @PathParam("id") String shard,
            @Parameter(description = "The replica's number, 1-based: the last one") @PathParam("n") String n) {
        return started(reshards.removeReplica(shard, replicaNumber(shard, n)));
    }

    @GET
    @Path("operations")
    @Operation(operationId = "operations", summary = "The splits and merges, newest first (at most 100)")
    @APIResponse(responseCode = "200", description = "The operations, running and ended")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "500", ref = ApiDocument.INTERNAL)
    @APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
    public OperationsResponse operations() {
        return new OperationsResponse(reshards.list().stream().map(OperationView::of).toList());
    }

    @GET
    @Path("operations/{id}")
    @Operation(operationId = "operation", summary = "One split or merge: its state, progress and ETA")
    @APIResponse(responseCode = "200", description = "The operation")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.UNKNOWN_OPERATION)
    @APIResponse(responseCode = "500", ref = ApiDocument.INTERNAL)
    @APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
    public OperationView operation(@Parameter(description = ID) @PathParam("id") String id) {
        return OperationView.of(reshards.get(known(id)));
    }

    @DELETE
    @Path("operations/{id}")
    @Operation(operationId = "abortOperation", summary = "Abort a split or merge before its cutover",
            description = "200 with the operation, aborted: the shard map is unchanged and the new shards' tables "
                    + "are dropped. Where another process runs operations (the resharder function on AWS) and it "
                    + "has not ended the operation within 10 s, 202 with the operation as it is: the abort is "
                    + "asked and follows. From cutting-over on the new map may be out already, so the operation "
                    + "runs to its end: 409 operation-state (also once it has ended).")
    @APIResponse(responseCode = "200", description = "Aborted")
    @APIResponse(responseCode = "202", description = "Abort asked, not yet done: follow the operation")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.UNKNOWN_OPERATION)
    @APIResponse(responseCode = "409", ref = ApiDocument.RESHARD_CONFLICT)
    @APIResponse(responseCode = "500", ref = ApiDocument.INTERNAL)
    @APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
    public RestResponse<OperationView> abort(@Parameter(description = ID) @PathParam("id") String id) {
        dev.shardkv.core.reshard.Operation operation = reshards.abort(known(id));
        return RestResponse.ResponseBuilder.<OperationView>create(operation.isActive()
                ? RestResponse.Status.ACCEPTED : RestResponse.Status.OK).entity(OperationView.of(operation)).build();
    }

    private static RestResponse<OperationView> started(dev.shardkv.core.reshard.Operation operation) {
        return RestResponse.ResponseBuilder.<OperationView>create(RestResponse.Status.ACCEPTED)
                .header(HttpHeaders.LOCATION, OPERATIONS + operation.id())
                .entity(OperationView.of(operation)).build();
    }

    /** A body of JSON null binds to no record at all. */
    private static <T> T required(T body) {
        if (body == null) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST, "Send a JSON object; see /q/openapi.");
        }
        return body;
    }

    /** Replicas are numbered 1, 2, ...: anything else names no replica (404, as a path that names nothing). */
    private static int replicaNumber(String shard, String n) {
        if (n != null && n.matches("[1-9][0-9]{0,2}")) {
            return Integer.parseInt(n);
        }
        throw new ShardKvException(ProblemType.UNKNOWN_REPLICA, ("Shard \"%s\" has no replica \"%s\": replicas are"
                + " numbered 1, 2, ... (see GET /v1/shards).").formatted(shard, n), Map.of("shard", shard, "replica", n));
    }

    /** Only an operation id can name an operation: anything else is unknown without asking the store. */
    private static String known(String id) {
        if (!OperationIds.isId(id)) {
            throw new ShardKvException(ProblemType.UNKNOWN_OPERATION, ("No operation \"%s\": operation ids look like"
                    + " op-1764571200000-k7q2mzpa (see GET /v1/admin/operations).").formatted(id),
                    Map.of("operation", id));
        }
        return id;
    }
}
