package dev.shardkv.core.reshard;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A split or merge as it runs, stored in the control table so that a runtime killed in any phase can
 * resume it or abort it cleanly. Immutable: each transition returns the next record, which the caller
 * saves. Times are epoch milliseconds. {@code version} is the store's: it counts saves, so that a save
 * from a stale copy is refused. {@code resume} is for the runtime, not for the admin API.
 *
 * @param sources    the shards it retires, as the map at {@code fromEpoch} has them
 * @param targets    the shards that take their range, with their tables
 * @param etaMs      how long until done, when known
 * @param writePauseMs how long writes to the sources were paused at the cutover, once measured
 * @param error      why it failed
 */
public record Operation(String id, OperationKind kind, OperationState state, List<ShardEntry> sources,
        List<ShardEntry> targets, long fromEpoch, long toEpoch, Progress progress,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long etaMs,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long writePauseMs,
        @JsonInclude(JsonInclude.Include.NON_NULL) String error,
        @JsonInclude(JsonInclude.Include.NON_NULL) OperationResult result,
        long createdAt, long updatedAt, long version, Resume resume) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Operation {
        if (!OperationIds.isId(id) || kind == null || state == null) {
            throw new IllegalArgumentException("an operation needs an id, a kind and a state: " + id);
        }
        sources = List.copyOf(sources);
        targets = List.copyOf(targets);
        progress = progress == null ? Progress.NONE : progress;
        resume = resume == null ? Resume.NONE : resume;
        if (toEpoch != fromEpoch + (kind.movesTheMap() ? 1 : 0) || version < 1) {
            throw new IllegalArgumentException("operation " + id + ": epochs " + fromEpoch + " to " + toEpoch
                    + ", version " + version);
        }
    }

    /** A new operation for a plan, copying, at version 1. */
    public static Operation start(String id, Reshard plan, long now) {
        long to = plan.next().epoch();
        return new Operation(id, plan.kind(), plan.kind().first(), plan.sources(), plan.targets(), to - 1, to,
                Progress.NONE, null, null, null, null, now, now, 1, Resume.NONE);
    }

    /** A new verification of the shards' replicas, at the map it was asked on, at version 1. */
    public static Operation verify(String id, List<ShardEntry> shards, boolean repair, long epoch, long now) {
        return new Operation(id, OperationKind.VERIFY, OperationKind.VERIFY.first(), shards, List.of(), epoch, epoch,
                Progress.NONE, null, null, null, new OperationResult(repair, List.of()), now, now, 1, Resume.NONE);
    }

    @JsonIgnore // a view of state, not a property of its own
    public boolean isActive() {
        return state.isActive();
    }

    /** Every shard it touches, sources then targets: the shards it locks while it runs. */
    public List<String> shards() {
        return Stream.concat(sources.stream(), targets.stream()).map(ShardEntry::id).distinct().toList();
    }

    /** On to the next phase of its kind (copying to catching-up, ..., cutting-over to done). */
    public Operation advance(long now) {
        return to(kind.next(state), null, now);
    }

    /** Refused (409 operation-state) from cutting-over on: the new map may be out already. */
    public Operation abort(long now) {
        return to(OperationState.ABORTED, null, now);
    }

    public Operation fail(String why, long now) {
        return to(OperationState.FAILED, why, now);
    }

    public Operation withProgress(Progress next, Long eta, long now) {
        requireActive("record progress");
        return new Operation(id, kind, state, sources, targets, fromEpoch, toEpoch, next, eta, writePauseMs, error,
                result, createdAt, now, version, resume);
    }

    public Operation withWritePause(long pauseMs, long now) {
        requireActive("record a write pause");
        return new Operation(id, kind, state, sources, targets, fromEpoch, toEpoch, progress, etaMs, pauseMs, error,
                result, createdAt, now, version, resume);
    }

    public Operation withResume(Resume next, long now) {
        requireActive("record where to resume");
        return new Operation(id, kind, state, sources, targets, fromEpoch, toEpoch, progress, etaMs, writePauseMs,
                error, result, createdAt, now, version, next);
    }

    /** What it found so far (a verification's reports). */
    public Operation withResult(OperationResult next, long now) {
        requireActive("record a result");
        return new Operation(id, kind, state, sources, targets, fromEpoch, toEpoch, progress, etaMs, writePauseMs,
                error, next, createdAt, now, version, resume);
    }

    /** The same operation at another version: for stores, which count saves. */
    public Operation withVersion(long next) {
        return new Operation(id, kind, state, sources, targets, fromEpoch, toEpoch, progress, etaMs, writePauseMs,
                error, result, createdAt, updatedAt, next, resume);
    }

    /**
     * The plan again, for a runtime that resumes: the same sources, targets and next map, planned from
     * the shard ids and the split point it keeps. Only against the map it was planned on.
     */
    public Reshard replan(ReshardPlanner planner, ShardMap map) {
        if (map.epoch() != fromEpoch) {
            throw new IllegalStateException("operation " + id + " was planned at epoch " + fromEpoch
                    + "; the map is at " + map.epoch());
        }
        Reshard plan = kind == OperationKind.SPLIT
                ? planner.split(map, new SplitRequest(sources.getFirst().id(), targets.getFirst().end(), ids(targets)))
                : planner.merge(map, new MergeRequest(ids(sources), targets.getFirst().id()));
        if (!plan.sources().equals(sources) || !plan.targets().equals(targets)) {
            throw new IllegalStateException("operation " + id + " plans differently now: " + plan.targets());
        }
        return plan;
    }

    /**
     * Whether the map already routes to the targets: every one of them is live in it, with the tables this
     * operation gives it (a replica change keeps the shard's id, so the id alone says nothing).
     */
    public boolean isCutOver(ShardMap map) {
        return kind.movesTheMap() && targets.stream().allMatch(t -> map.shard(t.id()).filter(t::equals).isPresent());
    }

    /** The replica a replica change adds or removes, by its 1-based number; null for other kinds. */
    @JsonIgnore
    public Integer replica() {
        return switch (kind) {
            case ADD_REPLICA -> targets.getFirst().replicaCount();
            case REMOVE_REPLICA -> sources.getFirst().replicaCount();
            default -> null;
        };
    }

    /** The table a replica change adds or removes; null for other kinds. */
    @JsonIgnore
    public String replicaTable() {
        return switch (kind) {
            case ADD_REPLICA -> targets.getFirst().replicas().getLast();
            case REMOVE_REPLICA -> sources.getFirst().replicas().getLast();
            default -> null;
        };
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Operation parse(String json) {
        try {
            return JSON.readValue(json, Operation.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("operation is not valid JSON: " + e.getMessage(), e);
        }
    }

    private Operation to(OperationState next, String why, long now) {
        if (!kind.allows(state, next)) {
            throw refused(next);
        }
        // An operation that has ended has no time left to estimate.
        Long eta = next.isActive() ? etaMs : null;
        return new Operation(id, kind, next, sources, targets, fromEpoch, toEpoch, progress, eta, writePauseMs, why,
                result, createdAt, now, version, resume);
    }

    private ShardKvException refused(OperationState next) {
        String detail;
        if (next == OperationState.ABORTED && state.isActive()) {
            detail = "Operation %s is %s: it can be aborted only before the cutover (copying, catching-up or"
                    + " verifying); it now runs to its end.";
        } else if (!state.isActive()) {
            detail = "Operation %s is %s: it has ended, so it cannot become " + (next == null ? "anything else" : next) + ".";
        } else {
            detail = "Operation %s is %s: it cannot become " + next + ".";
        }
        return new ShardKvException(ProblemType.OPERATION_STATE, detail.formatted(id, state), Map.of(
                "operation", id, "state", state.label(), "requested", next == null ? "next" : next.label()));
    }

    private void requireActive(String what) {
        if (!state.isActive()) {
            throw new ShardKvException(ProblemType.OPERATION_STATE,
                    "Operation %s is %s: it has ended, so there is nothing to %s.".formatted(id, state, what),
                    Map.of("operation", id, "state", state.label()));
        }
    }

    private static List<String> ids(List<ShardEntry> shards) {
        return shards.stream().map(ShardEntry::id).toList();
    }
}
