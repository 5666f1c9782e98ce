/**
 * The REST API (version 1): Quarkus REST resources over the core Gateway, served by the gateway
 * Lambda and by the embedded runtime alike. The annotation here is the part of the OpenAPI document
 * ({@code /q/openapi}) that is not one operation's: the server, the security scheme, the key
 * parameter, and the problem+json responses that the operations refer to by the names in
 * {@link dev.shardkv.api.ApiDocument}.
 */
@OpenAPIDefinition(
        info = @Info(title = "ShardKV", version = "1",
                description = "A sharded, leader/follower-replicated key-value store. Writes go to the leader of the "
                        + "key's shard; reads go to a replica or the leader as the client asks. Every refusal is an "
                        + "RFC 9457 problem (application/problem+json) with a stable type."),
        servers = @Server(url = "/", description = "This server: the embedded runtime, or the HTTP API's URL on AWS"),
        securitySets = {
                @SecurityRequirementsSet(@SecurityRequirement(name = ApiDocument.BEARER)),
                @SecurityRequirementsSet({}) },
        components = @Components(
                securitySchemes = @SecurityScheme(securitySchemeName = ApiDocument.BEARER,
                        type = SecuritySchemeType.HTTP, scheme = "bearer",
                        description = "The embedded runtime (./shardkv local) is open unless it was started with a "
                                + "token (--token or --token-file); then /v1/ needs Authorization: Bearer <token>. "
                                + "On AWS the HTTP API authorizes each request itself, as the deployment chose: IAM "
                                + "(the request signed with AWS Signature Version 4) or a JWT authorizer "
                                + "(Authorization: Bearer <JWT>). /v1/admin/ takes its own token: --admin-token or "
                                + "--admin-token-file locally (which also opens every other route), the admin "
                                + "routes' IAM policy or JWT scope on AWS."),
                parameters = @Parameter(name = ApiDocument.KEY, in = ParameterIn.PATH, required = true,
                        description = "The key: 1 to 1024 bytes of UTF-8, percent-encoded; it may hold '/'. Keys "
                                + "starting with __shardkv are reserved.",
                        schema = @Schema(type = SchemaType.STRING)),
                responses = {
                        @APIResponse(name = ApiDocument.BAD_REQUEST, description = "The request is invalid: "
                                + "invalid-key, reserved-key, invalid-json, invalid-precondition, invalid-consistency, "
                                + "invalid-request, or invalid-reshard (a split or merge the shard map does not allow)",
                                content = @Content(mediaType = Problems.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocument.UNAUTHORIZED,
                                description = "Missing or wrong credentials (unauthorized)",
                                content = @Content(mediaType = Problems.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocument.FORBIDDEN, description = "The credentials are valid but "
                                + "not for this route (forbidden): the data token on /v1/admin/, or any token there "
                                + "when the server was started without an admin token",
                                content = @Content(mediaType = Problems.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocument.NOT_FOUND, description = "No item has the key (not-found)",
                                content = @Content(mediaType = Problems.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocument.CONFLICT, description = "A condition failed and nothing was "
                                + "written, or a scan cursor outlived a change of the shard map (conflict)",
                                content = @Content(mediaType = Problems.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocument.UNKNOWN_SHARD, description = "No live shard has the id "
                                + "(unknown-shard); one retired by a reshard is named with the shards that hold its "
                                + "range now",
                                content = @Content(mediaType = Problems.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocument.UNKNOWN_OPERATION,
                                description = "No split or merge has the id (unknown-operation)",
                                content = @Content(mediaType = Problems.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocument.RESHARD_CONFLICT, description = "Another operation holds a "
                                + "shard (operation-conflict: shard and operation name it), a new shard id is taken "
                                + "(shard-exists), a new shard has no tables yet on AWS (shard-not-provisioned: "
                                + "stage it in the topology and terraform apply), or the operation's state does not "
                                + "allow it (operation-state: an abort from cutting-over on, or once ended)",
                                content = @Content(mediaType = Problems.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocument.PRECONDITION_FAILED, description = "If-Match or If-None-Match "
                                + "did not hold (precondition-failed); currentVersion is the key's version",
                                content = @Content(mediaType = Problems.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocument.TOO_LARGE,
                                description = "The body or a value is over its limit (value-too-large)",
                                content = @Content(mediaType = Problems.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocument.UNSUPPORTED_MEDIA_TYPE,
                                description = "The body is not sent as application/json (unsupported-media-type)",
                                content = @Content(mediaType = Problems.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocument.THROTTLED, description = "Refused for now: writes-throttled "
                                + "(a replica of the shard is too far behind) or overloaded (too many queries); "
                                + "Retry-After says when to come back",
                                content = @Content(mediaType = Problems.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocument.INTERNAL,
                                description = "The request failed inside ShardKV (internal); it is logged",
                                content = @Content(mediaType = Problems.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocument.UNDECODABLE, description = "The stored item cannot be decoded "
                                + "(undecodable-item): it was written around ShardKV",
                                content = @Content(mediaType = Problems.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocument.UNAVAILABLE, description = "A shard did not answer, the "
                                + "shard map kept changing under the request (shard-unavailable, wrong-shard), the shard "
                                + "stayed frozen for a reshard (shard-frozen), a write met the freeze (write-in-doubt), or "
                                + "splits and merges are not available on this deployment (shard-unavailable)",
                                content = @Content(mediaType = Problems.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))) }))
package dev.shardkv.api;

import dev.shardkv.api.model.Problem;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;
