package dev.shardkv.core.testing;

import dev.shardkv.core.protocol.ShardClient;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A decorator of the gateway's {@link ShardClient} that makes a shard's reader answer late, as a cold or
 * overloaded function would: for tests of deadlines and partial answers. No delay until a test sets one.
 */
public final class SlowShards implements UnaryOperator<ShardClient> {
    private final Map<String, Duration> readDelays = new ConcurrentHashMap<>();

    /** Every call to this shard's reader waits this long first; zero removes the delay. */
    public void slowReads(String shard, Duration delay) {
        if (delay.isZero()) {
            readDelays.remove(shard);
        } else {
            readDelays.put(shard, delay);
        }
    }

    /** Every shard answers at its own pace again. */
    public void clear() {
        readDelays.clear();
    }

    @Override
    public ShardClient apply(ShardClient client) {
        return new ShardClient() {
            @Override
            public ShardResponse writer(String shard, ShardRequest request) {
                return client.writer(shard, request);
            }

            @Override
            public ShardResponse reader(String shard, ShardRequest request) {
                Duration delay = readDelays.get(shard);
                if (delay != null) {
                    sleep(delay);
                }
                return client.reader(shard, request);
            }

            @Override
            public ShardResponse coordinator(ShardRequest request) {
                return client.coordinator(request);
            }
        };
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
