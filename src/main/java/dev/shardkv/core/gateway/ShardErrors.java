package dev.shardkv.core.gateway;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.protocol.ShardStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/** How a shard's failure reaches the client: an answer that is not OK, or AWS throttling, as a problem. */
final class ShardErrors {
    private ShardErrors() {
    }

    /** An INVALID answer is the request's fault (400); any other answer but OK is the shard's (503). */
    static void requireOk(ShardResponse response) {
        if (response.status() == ShardStatus.INVALID) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST, response.detail());
        }
        requireNotFrozen(response, null);
        if (response.status() != ShardStatus.OK) {
            throw new ShardKvException(ProblemType.SHARD_UNAVAILABLE,
                    "Shard " + response.shard() + " answered " + response.status() + ": " + response.detail());
        }
    }

    /**
     * A shard still frozen after the router waited it out: 503 with Retry-After. A write that committed as
     * the shard froze is in doubt: the client reads the key to learn whether it stands.
     */
    static void requireNotFrozen(ShardResponse response, String key) {
        if (response.status() != ShardStatus.FROZEN && response.status() != ShardStatus.IN_DOUBT) {
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        if (key != null) {
            fields.put("key", key);
        }
        fields.put("shard", response.shard());
        fields.put("retryAfter", 1);
        if (response.status() == ShardStatus.FROZEN) {
            throw new ShardKvException(ProblemType.SHARD_FROZEN, "Shard " + response.shard()
                    + " is frozen for a reshard and its new owners are not serving yet; retry shortly.", fields);
        }
        throw new ShardKvException(ProblemType.WRITE_IN_DOUBT, "The write reached shard " + response.shard()
                + " as it froze for a reshard, so it may not have been kept; read the key to know.", fields);
    }

    /** DynamoDB (and Lambda) throttling, recognised by the error code the SDK carries in its message chain. */
    static boolean isThrottle(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = String.valueOf(t.getMessage()) + " " + t.getClass().getSimpleName();
            if (text.contains("ProvisionedThroughputExceeded") || text.contains("ThrottlingException")
                    || text.contains("RequestLimitExceeded") || text.contains("TooManyRequests")) {
                return true;
            }
        }
        return false;
    }

    /** A throttled shard: 503 with Retry-After, so the client backs off instead of the gateway stalling. */
    static ShardKvException throttled(String shard) {
        return new ShardKvException(ProblemType.SHARD_UNAVAILABLE, "Shard " + shard + " is throttled; retry with backoff.",
                Map.of("shard", shard, "retryAfter", 1));
    }
}
