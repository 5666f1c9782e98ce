package dev.shardkv.core.tx;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import java.util.Locale;

/** What one operation of a transaction does. */
public enum TxKind {
    PUT, DELETE, CHECK;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static TxKind parse(String text) {
        for (TxKind kind : values()) {
            if (kind.json().equalsIgnoreCase(String.valueOf(text).trim())) {
                return kind;
            }
        }
        throw new ShardKvException(ProblemType.INVALID_REQUEST, "op must be put, delete or check; got \"" + text + "\".");
    }
}
