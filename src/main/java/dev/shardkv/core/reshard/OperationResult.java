package dev.shardkv.core.reshard;

import dev.shardkv.core.verify.VerifyReport;
import java.util.ArrayList;
import java.util.List;

/**
 * What an operation found, for kinds that report findings: a verification's one report per replica, in the
 * order they were compared.
 *
 * @param repair whether differences are repaired
 */
public record OperationResult(boolean repair, List<VerifyReport> replicas) {
    public OperationResult {
        replicas = List.copyOf(replicas);
    }

    public OperationResult with(VerifyReport report) {
        List<VerifyReport> next = new ArrayList<>(replicas);
        next.add(report);
        return new OperationResult(repair, next);
    }

    /** Whether this replica of this shard has been compared already (a resumed verification skips it). */
    public boolean has(String shard, String replica) {
        return replicas.stream().anyMatch(r -> r.shard().equals(shard) && r.replica().equals(replica));
    }

    /** Differences found across every replica (missing, different and extra), repaired or not. */
    public long differences() {
        return replicas.stream().mapToLong(VerifyReport::differences).sum();
    }
}
