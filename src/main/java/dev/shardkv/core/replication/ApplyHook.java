package dev.shardkv.core.replication;

/**
 * Runs before each record is applied to each replica. Production uses {@link #NONE}; fault and lag
 * tests install one that throws on a chosen record or sleeps, to see the real retry and routing paths.
 */
@FunctionalInterface
public interface ApplyHook {
    ApplyHook NONE = (shard, replica, record) -> {
    };

    void beforeApply(String shard, int replica, ChangeRecord record) throws Exception;
}
