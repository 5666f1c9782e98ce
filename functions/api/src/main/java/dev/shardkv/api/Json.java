package dev.shardkv.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.shardkv.core.kv.StoredItem;

/** How items look in every answer: as a single get returns them. */
final class Json {
    private Json() {
    }

    static ObjectNode item(StoredItem item) {
        ObjectNode json = JsonNodeFactory.instance.objectNode().put("key", item.key());
        json.putRawValue("value", new RawValue(item.value()));
        json.put("version", item.version());
        return json;
    }
}
