package dev.shardkv.embedded;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pump's position in its leader's stream: per stream shard, the last record the replicator fully
 * applied or that was parked. Saved to {@link StreamCheckpoints} after a delivered batch at most
 * every {@link #SAVE_INTERVAL} (one small write a second, not one per record), and on close; a lost
 * save only means a longer replay, which the idempotent apply rule makes harmless. Without a store
 * (in memory) nothing is loaded or saved. Used by the pump's thread only.
 */
final class StreamPosition {
    private static final Logger LOG = LoggerFactory.getLogger(StreamPosition.class);
    static final Duration SAVE_INTERVAL = Duration.ofSeconds(1);

    private final StreamCheckpoints store;
    private final String shard;
    private final String streamArn;
    private final Map<String, String> positions = new LinkedHashMap<>();
    private boolean dirty;
    private long savedAt;

    /** @param store null: in memory, nothing kept across restarts */
    StreamPosition(StreamCheckpoints store, String shard, String streamArn) {
        this.store = store;
        this.shard = shard;
        this.streamArn = streamArn;
    }

    /** Reads the saved positions; none (start from the oldest record) if they cannot be read. */
    void load() {
        if (store == null) {
            return;
        }
        try {
            positions.putAll(store.load(shard, streamArn));
            savedAt = System.currentTimeMillis();
            LOG.debug("stream of shard {} resumes at {}", shard, positions);
        } catch (RuntimeException e) {
            LOG.warn("stream of shard {}: its checkpoint could not be read, so it is read from its oldest record", shard, e);
        }
    }

    /** The last applied sequence number in a stream shard, or null: read it from its oldest record. */
    String of(String shardId) {
        return positions.get(shardId);
    }

    /** A batch ending at {@code sequenceNumber} was delivered in full (applied or parked). */
    void advance(String shardId, String sequenceNumber) {
        positions.put(shardId, sequenceNumber);
        dirty = true;
        if (System.currentTimeMillis() - savedAt >= SAVE_INTERVAL.toMillis()) {
            save();
        }
    }

    /** The position is unusable (trimmed, unknown): the stream shard is read from its oldest record. */
    void forget(String shardId) {
        dirty |= positions.remove(shardId) != null;
    }

    /** Drops the positions of stream shards the stream no longer lists. */
    void retain(Set<String> shardIds) {
        dirty |= positions.keySet().retainAll(shardIds);
    }

    void save() {
        if (store == null || !dirty) {
            return;
        }
        savedAt = System.currentTimeMillis();
        try {
            store.save(shard, streamArn, positions);
            dirty = false;
        } catch (RuntimeException e) {
            LOG.warn("stream of shard {}: its checkpoint could not be saved (a restart replays more); retrying later", shard, e);
        }
    }
}
