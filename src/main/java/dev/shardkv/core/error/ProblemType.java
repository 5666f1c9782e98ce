package dev.shardkv.core.error;

/**
 * Every kind of refusal ShardKV gives, with its HTTP status and a stable RFC 9457 {@code type}.
 * Titles are static text; the specifics go in the detail and in structured fields.
 */
public enum ProblemType {
    INVALID_KEY(400, "invalid-key", "Invalid key"),
    RESERVED_KEY(400, "reserved-key", "Reserved key"),
    INVALID_JSON(400, "invalid-json", "Body is not a JSON value"),
    INVALID_PRECONDITION(400, "invalid-precondition", "Invalid precondition header"),
    INVALID_CONSISTENCY(400, "invalid-consistency", "Invalid consistency choice"),
    INVALID_REQUEST(400, "invalid-request", "Invalid request"),
    INVALID_RESHARD(400, "invalid-reshard", "Invalid split, merge or replica change"),
    UNAUTHORIZED(401, "unauthorized", "Missing or wrong credentials"),
    FORBIDDEN(403, "forbidden", "Not allowed"),
    NOT_FOUND(404, "not-found", "Key not found"),
    NO_SUCH_ENDPOINT(404, "no-such-endpoint", "No such endpoint"),
    UNKNOWN_SHARD(404, "unknown-shard", "Unknown shard"),
    UNKNOWN_OPERATION(404, "unknown-operation", "Unknown operation"),
    UNKNOWN_REPLICA(404, "unknown-replica", "Unknown replica"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
    CONFLICT(409, "conflict", "Condition failed"),
    SHARD_EXISTS(409, "shard-exists", "Shard id already in use"),
    OPERATION_CONFLICT(409, "operation-conflict", "Another operation holds the shard"),
    OPERATION_STATE(409, "operation-state", "Not possible in the operation's state"),
    SHARD_NOT_PROVISIONED(409, "shard-not-provisioned", "Target shard not provisioned"),
    PRECONDITION_FAILED(412, "precondition-failed", "Precondition failed"),
    VALUE_TOO_LARGE(413, "value-too-large", "Value too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    URI_TOO_LONG(414, "uri-too-long", "Request target too long"),
    HEADERS_TOO_LARGE(431, "headers-too-large", "Request headers too large"),
    OVERLOADED(429, "overloaded", "Too many requests"),
    WRITES_THROTTLED(429, "writes-throttled", "Writes throttled: replicas are behind"),
    UNDECODABLE_ITEM(502, "undecodable-item", "Stored item cannot be decoded"),
    SHARD_FAILED(502, "shard-failed", "Shard function failed"),
    WRONG_SHARD(503, "wrong-shard", "Shard map changed"),
    SHARD_UNAVAILABLE(503, "shard-unavailable", "Shard unavailable"),
    SHARD_FROZEN(503, "shard-frozen", "Shard frozen for a reshard"),
    WRITE_IN_DOUBT(503, "write-in-doubt", "Write outcome unknown"),
    INTERNAL(500, "internal", "Internal error");

    private final int status;
    private final String slug;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    /** A URN: stable, unique, and never mistaken for a page that should load. */
    public String uri() {
        return "urn:shardkv:problem:" + slug;
    }

    public String title() {
        return title;
    }
}
