package dev.shardkv.api;

/**
 * The names the OpenAPI document gives its shared parts (declared in {@code package-info.java}), for
 * the operations to refer to: {@code @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)}.
 */
public final class ApiDocument {
    static final String BEARER = "bearer";
    static final String KEY = "key";
    static final String BAD_REQUEST = "BadRequest";
    static final String UNAUTHORIZED = "Unauthorized";
    static final String FORBIDDEN = "Forbidden";
    static final String NOT_FOUND = "NotFound";
    static final String CONFLICT = "Conflict";
    static final String UNKNOWN_SHARD = "UnknownShard";
    static final String UNKNOWN_OPERATION = "UnknownOperation";
    static final String RESHARD_CONFLICT = "ReshardConflict";
    static final String PRECONDITION_FAILED = "PreconditionFailed";
    static final String TOO_LARGE = "TooLarge";
    static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
    static final String THROTTLED = "Throttled";
    static final String INTERNAL = "Internal";
    static final String UNDECODABLE = "Undecodable";
    static final String UNAVAILABLE = "Unavailable";

    private ApiDocument() {
    }
}
