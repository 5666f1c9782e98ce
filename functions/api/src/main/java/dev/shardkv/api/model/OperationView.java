package dev.shardkv.api.model;

import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.reshard.OperationKind;
import dev.shardkv.core.reshard.OperationResult;
import dev.shardkv.core.reshard.Progress;
import dev.shardkv.core.topology.ShardEntry;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A split or merge as the admin API shows it: what it retires and creates, where it is, how far it has got.
 * Not the stored {@link Operation}: where the runtime resumes and the store's version are not the API's.
 *
 * @param sources      the ids of the shards it retires
 * @param targets      the ids of the shards it creates
 * @param etaMs        how long until the targets have everything, when known
 * @param writePauseMs how long writes to the sources were paused at the cutover, once measured
 * @param fromEpoch    the shard map it was planned on
 * @param toEpoch      the shard map its cutover publishes
 * @param error        why it failed
 * @param createdAt    epoch milliseconds
 * @param updatedAt    epoch milliseconds
 */
@Schema(name = "AdminOperation", description = "A split, merge or verification: its shards, state and progress")
public record OperationView(
        @Schema(description = "op-<creation time in ms>-<8 random characters>; ids sort as created",
                example = "op-1764571200000-k7q2mzpa") String id,
        @Schema(enumeration = {"split", "merge", "verify", "add-replica", "remove-replica"}) String kind,
        @Schema(enumeration = {"copying", "catching-up", "verifying", "cutting-over", "done", "failed", "aborted"},
                description = "A split, merge or replica added: copying, catching-up, verifying and cutting-over in "
                        + "turn, then done; a verification: verifying, then done; a replica removed: cutting-over, "
                        + "then done; aborted (only before cutting-over) or failed")
        String state,
        @Schema(description = "The ids of the shards it retires (a verification: the shards it compares; a replica"
                + " change: its shard)")
        List<String> sources,
        @Schema(description = "The ids of the shards it creates (none for a verification; a replica change: its shard)")
        List<String> targets,
        @Schema(nullable = true, description = "A replica change: the number of the replica it adds or removes")
        Integer replica,
        @Schema(nullable = true, description = "A replica change: that replica's table") String replicaTable,
        @Schema(description = "copied items of about total (an estimate: copied may pass "
                + "it); behind: source changes not yet applied to the targets") Progress progress,
        @Schema(nullable = true, description = "Milliseconds until the targets have everything; null: not known")
        Long etaMs,
        @Schema(nullable = true, description = "How long writes to the sources paused at the cutover, once measured")
        Long writePauseMs,
        @Schema(description = "The shard map epoch it was planned on") long fromEpoch,
        @Schema(description = "The shard map epoch its cutover publishes") long toEpoch,
        @Schema(nullable = true, description = "Why it failed") String error,
        @Schema(nullable = true, description = "A verification's findings: whether it repairs, and one report per "
                + "replica compared so far") OperationResult result,
        @Schema(description = "Epoch milliseconds") long createdAt,
        @Schema(description = "Epoch milliseconds") long updatedAt) {

    public static OperationView of(Operation op) {
        return new OperationView(op.id(), kind(op.kind()), op.state().label(), ids(op.sources()), ids(op.targets()),
                op.replica(), op.replicaTable(), op.progress(), op.etaMs(), op.writePauseMs(), op.fromEpoch(), op.toEpoch(), op.error(), op.result(),
                op.createdAt(), op.updatedAt());
    }

    /** As OperationKind is named in JSON. */
    static String kind(OperationKind kind) {
        return kind.label();
    }

    private static List<String> ids(List<ShardEntry> shards) {
        return shards.stream().map(ShardEntry::id).toList();
    }
}
