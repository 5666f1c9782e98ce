package dev.shardkv.core.verify;

/**
 * What the last verification of one replica left: kept per replica table in the control table, so that every
 * process (the gateway that routes reads, the page, the metrics) sees it, whichever process ran it.
 *
 * @param shard     the shard the replica belongs to
 * @param replica   the replica's table
 * @param at        when the verification read the leader (epoch ms)
 * @param operation the id of the verification that found it
 */
public record LastVerification(String shard, String replica, long at, long missing, long different, long extra,
        long repaired, String operation) {

    public static LastVerification of(VerifyReport report, String operation) {
        return new LastVerification(report.shard(), report.replica(), report.at(), report.missing(), report.different(),
                report.extra(), report.repaired(), operation);
    }

    /** Differences found and not repaired (a lost repair condition counts here); never below zero. */
    public long unrepaired() {
        return Math.max(0, missing + different + extra - repaired);
    }

    /** Whether the replica holds items its leader does not: it must not serve reads until a verification clears it. */
    public boolean divergent() {
        return unrepaired() > 0;
    }
}
