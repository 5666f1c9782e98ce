package dev.shardkv.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.kv.WriteOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Whether a shard's leader takes writes, or is frozen for a reshard. It lives in the leader table itself
 * (the reserved item {@link Keys#FENCE_KEY}), so that DynamoDB, not a cached shard map, decides: a writer
 * acknowledges a write only once a strongly consistent read of this item, started after the write
 * committed, finds it open (see {@code core.shard.FenceGate}). No item, or an item that says nothing, is open.
 *
 * @param operation the reshard that froze the shard; null when open
 */
public record Fence(boolean frozen, String operation) {
    public static final Fence OPEN = new Fence(false, null);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The fence a leader's fence item holds. */
    public static Fence of(Optional<StoredItem> item) {
        if (item.isEmpty() || !item.get().isLive()) {
            return OPEN;
        }
        try {
            JsonNode value = JSON.readTree(item.get().value());
            boolean frozen = value.path("frozen").asBoolean(false);
            return frozen ? new Fence(true, value.path("operation").asText(null)) : OPEN;
        } catch (IOException e) {
            throw new IllegalStateException("the fence item of a leader is not JSON: " + item.get().value(), e);
        }
    }

    /** Reads a leader's fence, strongly. */
    public static Fence read(LeaderStore leader) {
        return of(leader.get(Keys.FENCE_KEY));
    }

    /** Freezes a leader for an operation: from the commit on, no write on it is acknowledged. */
    public static WriteOutcome freeze(LeaderStore leader, String operation, long ts) {
        return leader.put(Keys.FENCE_KEY, new Fence(true, operation).json(), ts, Precondition.NONE);
    }

    /** Opens a leader again (an operation aborted before its cutover). */
    public static WriteOutcome open(LeaderStore leader, long ts) {
        return leader.put(Keys.FENCE_KEY, OPEN.json(), ts, Precondition.NONE);
    }

    public String json() {
        ObjectNode value = JSON.createObjectNode().put("frozen", frozen);
        if (operation != null) {
            value.put("operation", operation);
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
