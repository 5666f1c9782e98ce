package dev.shardkv.core.reshard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The body of {@code POST /v1/admin/splits}: split {@code shard} at the routing key {@code at} into
 * two shards named {@code ids} (left, right). {@code ids} is optional, and so is {@code at} under
 * hash routing (the middle of the shard's hash range).
 */
public record SplitRequest(String shard, String at, List<String> ids) {
    public SplitRequest {
        // Not List.copyOf: a null id is the planner's to refuse, with a detail, not an NPE here.
        ids = ids == null ? null : Collections.unmodifiableList(new ArrayList<>(ids));
    }
}
