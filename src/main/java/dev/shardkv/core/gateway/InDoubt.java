package dev.shardkv.core.gateway;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.protocol.ShardStatus;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.LongFunction;

/**
 * Settles a write that committed on a leader as it froze for a reshard. Once the key's owner serves
 * again (the new map is out, or the source was opened again), a strong read there tells what happened:
 * the committed item is there, so the write stands (the catch-up carried it over before the cutover);
 * an older version or nothing is there, so it was left behind on the retired source and never happened,
 * and the write is sent again; anything newer means another write came after, and it stays in doubt.
 */
final class InDoubt {
    private final Router router;
    private final BiFunction<String, LongFunction<ShardRequest>, ShardResponse> send;

    InDoubt(Router router, BiFunction<String, LongFunction<ShardRequest>, ShardResponse> send) {
        this.router = router;
        this.send = send;
    }

    ShardResponse resolve(String key, ShardResponse inDoubt, LongFunction<ShardRequest> request) {
        StoredItem committed = inDoubt.item();
        ShardResponse read = send.apply(key, epoch -> ShardRequest.strongGet(key, epoch));
        if (committed == null || read.status() != ShardStatus.OK && read.status() != ShardStatus.NOT_FOUND) {
            return inDoubt; // still frozen after the router's wait, or no item to compare: the client reads
        }
        StoredItem now = read.item(); // a tombstone comes with NOT_FOUND: its version counts
        if (now != null && now.version() == committed.version()) {
            return same(now, committed)
                    ? ShardResponse.ok(read.shard(), read.servedBy(), now, inDoubt.created(), read.epoch())
                    : inDoubt;
        }
        if (now == null && router.map().epoch() > inDoubt.epoch() || now != null && now.version() < committed.version()) {
            return send.apply(key, request); // a second doubt is answered as such
        }
        return inDoubt;
    }

    private static boolean same(StoredItem a, StoredItem b) {
        return a.ts() == b.ts() && a.tombstone() == b.tombstone() && Objects.equals(a.value(), b.value());
    }
}
