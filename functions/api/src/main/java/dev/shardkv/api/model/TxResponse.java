package dev.shardkv.api.model;

import dev.shardkv.core.tx.TxKind;
import dev.shardkv.core.tx.TxOutcome;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A committed transaction: the shards it wrote to and, per operation, the version it wrote or checked. */
@Schema(name = "TxCommitted")
public record TxResponse(
        @Schema(description = "Always true: a transaction that did not commit is a 409 problem") boolean committed,
        List<String> shards,
        List<Result> results) {

    public static TxResponse of(List<String> shards, TxOutcome committed) {
        return new TxResponse(true, shards, committed.results().stream().map(Result::of).toList());
    }

    /** @param index the operation's place in the request */
    @Schema(name = "TxResult")
    public record Result(int index, TxKind op, String key, String shard, long version) {
        static Result of(TxOutcome.Result r) {
            return new Result(r.index(), r.op(), r.key(), r.shard(), r.version());
        }
    }
}
