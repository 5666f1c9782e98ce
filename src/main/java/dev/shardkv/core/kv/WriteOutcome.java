package dev.shardkv.core.kv;

/** What a conditional write on the leader did. Exactly one of these, and nothing half-written. */
public sealed interface WriteOutcome {

    /** The key now holds {@code item}; {@code created} when no live item was there before. */
    record Written(StoredItem item, boolean created) implements WriteOutcome {
    }

    /** The key is now a tombstone. */
    record Deleted(StoredItem tombstone) implements WriteOutcome {
    }

    /** The condition did not hold; {@code current} is what the leader holds (null when never written). */
    record PreconditionFailed(StoredItem current) implements WriteOutcome {
    }

    /** A delete found no live item. */
    record NotFound(StoredItem current) implements WriteOutcome {
    }
}
