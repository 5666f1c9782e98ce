package dev.shardkv.core.reshard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The body of {@code POST /v1/admin/merges}: merge two adjacent {@code shards}, named in either
 * order, into one shard named {@code id} (optional).
 */
public record MergeRequest(List<String> shards, String id) {
    public MergeRequest {
        // Not List.copyOf: a null id is the planner's to refuse, with a detail, not an NPE here.
        shards = shards == null ? null : Collections.unmodifiableList(new ArrayList<>(shards));
    }
}
