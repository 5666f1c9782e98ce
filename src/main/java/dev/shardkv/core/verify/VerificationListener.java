package dev.shardkv.core.verify;

/**
 * Told each replica's verification as it ends, after it is stored: the resharder function on AWS sends it as a
 * metric (the gateway's processes never see the run). Elsewhere nothing listens: the local runtime's gauge reads
 * what the gateway routes by instead.
 */
@FunctionalInterface
public interface VerificationListener {
    VerificationListener NONE = (replica, last) -> { };

    /** @param replica the replica's number (1-based) in its shard, for the metric's Replica dimension */
    void verified(int replica, LastVerification last);
}
