package dev.shardkv.api.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A request body that is one JSON object, bound to its record by Jackson after the strict parse of
 * {@link dev.shardkv.core.kv.ValueCodec#parseBody} (no duplicate fields, no trailing text, numbers
 * exactly as written): see {@code dev.shardkv.api.JsonBodyReader}.
 */
public interface JsonBody {

    /** What to send, said when the body is not an object of the record's shape at all. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface Usage {
        String value();
    }
}
