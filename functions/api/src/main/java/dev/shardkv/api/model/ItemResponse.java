package dev.shardkv.api.model;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.shardkv.core.kv.StoredItem;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An item as every answer shows it: the key, its value (the stored JSON, as it is) and its version. */
@Schema(name = "Item")
public record ItemResponse(
        String key,
        @Schema(implementation = Object.class, description = "The value: any JSON value") @JsonRawValue String value,
        long version) {

    public static ItemResponse of(StoredItem item) {
        return new ItemResponse(item.key(), item.value(), item.version());
    }
}
