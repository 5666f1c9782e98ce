package dev.shardkv.core.reshard;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What an admin operation does, as the API names it. Splits and merges move ranges through every phase;
 * a verification only compares (and may repair) replicas, so it starts at {@code verifying} and ends.
 */
public enum OperationKind {
    /** One shard becomes two, at a routing key. */
    @JsonProperty("split") SPLIT,
    /** Two adjacent shards become one. */
    @JsonProperty("merge") MERGE,
    /** Replicas compared with their leaders, and repaired if asked. */
    @JsonProperty("verify") VERIFY;

    /** The state an operation of this kind starts in. */
    public OperationState first() {
        return this == VERIFY ? OperationState.VERIFYING : OperationState.COPYING;
    }

    /** The phase after {@code state} for this kind; null once ended. */
    public OperationState next(OperationState state) {
        if (this == VERIFY) {
            return state == OperationState.VERIFYING ? OperationState.DONE : null;
        }
        return state.next();
    }

    /** Whether an operation of this kind in {@code from} may move to {@code to}. */
    public boolean allows(OperationState from, OperationState to) {
        return to != null && passes(from) && (to == next(from) || to == OperationState.ABORTED && from.isAbortable()
                || to == OperationState.FAILED && from.isActive());
    }

    /** Whether an operation of this kind is ever in {@code state} (a verification only verifies, then ends). */
    private boolean passes(OperationState state) {
        return this != VERIFY || state == OperationState.VERIFYING || !state.isActive();
    }

    /** Whether it publishes a new shard map (epoch + 1) when done. */
    public boolean movesTheMap() {
        return this != VERIFY;
    }

    /** The name in JSON and in the admin API. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
