package dev.shardkv.api.model;

import dev.shardkv.core.gateway.WriteResult;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An acknowledged write: it is on the leader of the key's shard. */
@Schema(name = "Written")
public record PutResponse(String key, long version, String shard) {

    public static PutResponse of(String key, WriteResult result) {
        return new PutResponse(key, result.item().version(), result.shard());
    }
}
