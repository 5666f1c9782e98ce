package dev.shardkv.core.tx;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How a transaction ended: all of it committed, or none of it.
 *
 * @param results  when committed: per operation the version it wrote (puts, deletes) or checked
 * @param failures when not: the operations whose condition did not hold
 * @param reason   when not committed: why, in a sentence
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TxOutcome(boolean committed, long commitTs, List<Result> results, List<Failure> failures, String reason,
        long epoch) {

    public record Result(int index, TxKind op, String key, String shard, long version) {
    }

    /** @param currentVersion the version the key has (null when it does not exist) */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failure(int index, TxKind op, String key, String reason, Long currentVersion) {
    }

    public static TxOutcome committed(long commitTs, List<Result> results, long epoch) {
        return new TxOutcome(true, commitTs, results, List.of(), null, epoch);
    }

    public static TxOutcome failed(List<Failure> failures, String reason, long epoch) {
        return new TxOutcome(false, 0, List.of(), failures, reason, epoch);
    }
}
