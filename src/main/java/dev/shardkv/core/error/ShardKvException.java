package dev.shardkv.core.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A refusal with a problem type, a human detail and structured fields (key, shard, version...). */
public class ShardKvException extends RuntimeException {
    private final ProblemType type;
    private final Map<String, Object> fields;

    public ShardKvException(ProblemType type, String detail) {
        this(type, detail, Map.of());
    }

    public ShardKvException(ProblemType type, String detail, Map<String, ?> fields) {
        super(detail);
        this.type = type;
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public ProblemType type() {
        return type;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, Object> fields() {
        return fields;
    }
}
