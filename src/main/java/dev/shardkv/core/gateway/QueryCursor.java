package dev.shardkv.core.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a paginated scan is, in every shard at once: per shard the key to resume after ("" = from
 * the start), shards that are done left out. Opaque to clients (base64url JSON), bound to the query
 * and the shard-map epoch it was made under.
 */
record QueryCursor(long epoch, int query, Map<String, String> after) {
    private static final ObjectMapper JSON = new ObjectMapper();

    QueryCursor {
        after = new TreeMap<>(after);
    }

    String encode() {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static QueryCursor decode(String text, long epoch, int query) {
        QueryCursor cursor;
        try {
            cursor = JSON.readValue(Base64.getUrlDecoder().decode(text.trim()), QueryCursor.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST, "The cursor is not one this query returned.");
        }
        if (cursor.query() != query) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST,
                    "The cursor belongs to a different query; send the same prefix, filter and limit with it.");
        }
        if (cursor.epoch() != epoch) {
            throw new ShardKvException(ProblemType.CONFLICT,
                    "The shard map changed (epoch " + cursor.epoch() + " to " + epoch + ") since this cursor was made; start the scan again.");
        }
        return cursor;
    }
}
