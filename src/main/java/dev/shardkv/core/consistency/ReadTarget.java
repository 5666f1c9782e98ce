package dev.shardkv.core.consistency;

import java.util.OptionalLong;

/**
 * Where a read goes: the leader ({@code replica == 0}) or a 1-based replica, with the replica's
 * lag at the time of choosing (empty for the leader, which is never behind).
 */
public record ReadTarget(int replica, OptionalLong lagMs) {
    public static final ReadTarget LEADER = new ReadTarget(0, OptionalLong.empty());

    public boolean isLeader() {
        return replica == 0;
    }
}
