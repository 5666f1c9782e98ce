package dev.shardkv.api.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.shardkv.core.error.ProblemType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem document ({@code application/problem+json}): type, title, status, detail,
 * instance, then the refusal's structured fields (key, shard, currentVersion, limit...) beside them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "RFC 9457 problem details. Besides these members a refusal carries its structured fields, "
        + "e.g. key, shard, servedBy, currentVersion, limit, index, retryAfter, failed.",
        additionalProperties = Schema.True.class)
public record Problem(
        @Schema(required = true, description = "Stable: urn:shardkv:problem:<slug>",
                example = "urn:shardkv:problem:not-found") String type,
        @Schema(required = true) String title,
        @Schema(required = true) int status,
        @Schema(required = true, description = "What is wrong, in a sentence") String detail,
        @Schema(description = "The request path") String instance,
        @Schema(hidden = true) @JsonAnyGetter Map<String, Object> fields) {

    private static final Set<String> MEMBERS = Set.of("type", "title", "status", "detail", "instance");

    /** The problem of a refusal; a structured field never replaces one of the members above. */
    public static Problem of(ProblemType type, String detail, String instance, Map<String, ?> fields) {
        Map<String, Object> extra = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (!MEMBERS.contains(name)) {
                extra.put(name, value);
            }
        });
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, extra);
    }
}
