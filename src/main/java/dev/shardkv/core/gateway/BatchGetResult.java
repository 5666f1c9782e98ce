package dev.shardkv.core.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.shardkv.core.kv.StoredItem;
import java.util.List;

/** A batch read: per requested key, in request order, what was found and who served it. */
public record BatchGetResult(List<Entry> results) {

    /**
     * @param item  the live item, or null when absent or deleted
     * @param lagMs how far behind the answer may be: 0 from the leader, the replica's lag otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String key, StoredItem item, String shard, String servedBy, Long lagMs) {
        /** The stored value is not valid JSON text (written around ShardKV): reported, not sent. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean undecodable() {
            return item != null && !dev.shardkv.core.kv.ValueCodec.decodable(item.value());
        }
    }
}
