package dev.shardkv.api;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;
import java.util.Map;

/** Request bodies are JSON: application/json or any application/*+json. */
final class JsonMedia {
    private JsonMedia() {
    }

    /** Refuses (415) a body that does not say it is JSON. */
    static void require(String contentType) {
        if (!isJson(contentType)) {
            throw new ShardKvException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "Send the value as application/json; got " + (contentType == null ? "no Content-Type" : contentType) + ".",
                    Map.of("supported", "application/json"));
        }
    }

    private static boolean isJson(String contentType) {
        MediaType type;
        try {
            type = contentType == null ? null : MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return type != null && "application".equalsIgnoreCase(type.getType())
                && ("json".equalsIgnoreCase(type.getSubtype()) || type.getSubtype().toLowerCase(Locale.ROOT).endsWith("+json"));
    }
}
