package dev.shardkv.core.reshard;

/**
 * The body of {@code POST /v1/admin/verifications}: compare the replicas of {@code shard} (every shard of the
 * map when absent) with their leaders, and repair what differs when {@code repair} is true (absent: false).
 */
public record VerifyRequest(String shard, Boolean repair) {
    public boolean repairs() {
        return Boolean.TRUE.equals(repair);
    }
}
