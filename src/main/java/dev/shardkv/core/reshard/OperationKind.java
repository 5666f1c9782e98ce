package dev.shardkv.core.reshard;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What an admin operation does, as the API names it. Splits and merges move ranges through every phase;
 * a verification only compares (and may repair) replicas, so it starts at {@code verifying} and ends. A
 * replica added is filled through the same phases as a split's targets; a replica removed is only a
 * new map (cutting-over), its table dropped once readers have moved on.
 */
public enum OperationKind {
    /** One shard becomes two, at a routing key. */
    @JsonProperty("split") SPLIT("split"),
    /** Two adjacent shards become one. */
    @JsonProperty("merge") MERGE("merge"),
    /** Replicas compared with their leaders, and repaired if asked. */
    @JsonProperty("verify") VERIFY("verify"),
    /** A shard gains a replica: copied from its leader, fed by its stream, then served. */
    @JsonProperty("add-replica") ADD_REPLICA("add-replica"),
    /** A shard loses its last replica: reads stop first, then the table goes. */
    @JsonProperty("remove-replica") REMOVE_REPLICA("remove-replica");

    private final String label;

    OperationKind(String label) {
        this.label = label;
    }

    /** The state an operation of this kind starts in. */
    public OperationState first() {
        return switch (this) {
            case VERIFY -> OperationState.VERIFYING;
            case REMOVE_REPLICA -> OperationState.CUTTING_OVER;
            case SPLIT, MERGE, ADD_REPLICA -> OperationState.COPYING;
        };
    }

    /** The phase after {@code state} for this kind; null once ended. */
    public OperationState next(OperationState state) {
        return switch (this) {
            case VERIFY -> state == OperationState.VERIFYING ? OperationState.DONE : null;
            case REMOVE_REPLICA -> state == OperationState.CUTTING_OVER ? OperationState.DONE : null;
            case SPLIT, MERGE, ADD_REPLICA -> state.next();
        };
    }

    /** Whether an operation of this kind in {@code from} may move to {@code to}. */
    public boolean allows(OperationState from, OperationState to) {
        return to != null && passes(from) && (to == next(from) || to == OperationState.ABORTED && from.isAbortable()
                || to == OperationState.FAILED && from.isActive());
    }

    /** Whether an operation of this kind is ever in {@code state} (a verification only verifies, then ends). */
    private boolean passes(OperationState state) {
        return !state.isActive() || switch (this) {
            case VERIFY -> state == OperationState.VERIFYING;
            case REMOVE_REPLICA -> state == OperationState.CUTTING_OVER;
            case SPLIT, MERGE, ADD_REPLICA -> true;
        };
    }

    /** Whether it publishes a new shard map (epoch + 1) when done. */
    public boolean movesTheMap() {
        return this != VERIFY;
    }

    /** Whether it changes one shard's replicas (its range and leader stay). */
    public boolean changesReplicas() {
        return this == ADD_REPLICA || this == REMOVE_REPLICA;
    }

    /** The name in JSON and in the admin API. */
    public String label() {
        return label;
    }
}
