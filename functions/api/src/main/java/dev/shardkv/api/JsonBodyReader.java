package dev.shardkv.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.shardkv.api.model.BadField;
import dev.shardkv.api.model.JsonBody;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.ValueCodec;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link JsonBody} record: refuses (415) a body that is not JSON, parses it strictly with
 * {@link ValueCodec#parseBody} (400 invalid-json), then lets Jackson bind the tree to the record. A
 * field of the wrong shape is a 400 invalid-request naming where it is, e.g. {@code operations[2].key}.
 * Registered for the JsonBody interface, so it is chosen before the generic Jackson reader, whatever
 * the Content-Type says.
 */
@Provider
@Consumes(MediaType.WILDCARD)
public class JsonBodyReader implements MessageBodyReader<JsonBody> {
    /** Binds a tree already parsed strictly: numbers stay as written, unknown fields are ignored. */
    private static final ObjectMapper BINDER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return JsonBody.class.isAssignableFrom(type);
    }

    @Override
    public JsonBody readFrom(Class<JsonBody> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> headers, InputStream body) throws IOException {
        JsonMedia.require(headers.getFirst(HttpHeaders.CONTENT_TYPE));
        return bind(ValueCodec.parseBody(body.readAllBytes()), type);
    }

    static <T> T bind(JsonNode tree, Class<T> type) {
        T value;
        try {
            value = BINDER.treeToValue(tree, type);
        } catch (JsonMappingException e) {
            throw refusal(e, tree, type);
        } catch (IOException e) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST, usage(type));
        }
        if (value == null) { // the body is JSON null: no object at all
            throw new ShardKvException(ProblemType.INVALID_REQUEST, usage(type));
        }
        return value;
    }

    /** A 400 that says where the body went wrong, with the index of the list entry it is in (if any). */
    private static ShardKvException refusal(JsonMappingException e, JsonNode tree, Class<?> type) {
        List<JsonMappingException.Reference> path = e.getPath();
        Map<String, Object> fields = new LinkedHashMap<>();
        path.stream().filter(r -> r.getIndex() >= 0).findFirst().ifPresent(r -> fields.put("index", r.getIndex()));
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ShardKvException refusal) { // thrown by the record itself, or by an enum it holds
                fields.putAll(refusal.fields());
                return new ShardKvException(refusal.type(), refusal.detail(), fields);
            }
        }
        if (path.size() <= 1 && !(e instanceof BadField)) {
            return new ShardKvException(ProblemType.INVALID_REQUEST, usage(type)); // not an object of this shape at all
        }
        if (e instanceof BadField bad) {
            fields.putAll(bad.fields());
        }
        return new ShardKvException(ProblemType.INVALID_REQUEST,
                "%s must be %s; got %s.".formatted(where(path), expected(e), tree.at(pointer(path))), fields);
    }

    private static String usage(Class<?> type) {
        JsonBody.Usage usage = type.getAnnotation(JsonBody.Usage.class);
        return usage != null ? usage.value() : "Send a JSON object.";
    }

    /** What the field must be: said by our own deserializers, else from the type Jackson wanted. */
    private static String expected(JsonMappingException e) {
        if (e instanceof BadField bad) {
            return bad.expected();
        }
        Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        if (target == null) {
            return "of another type";
        }
        if (CharSequence.class.isAssignableFrom(target)) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(target) || target.isPrimitive() && target != boolean.class) {
            return "a number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "true or false";
        }
        return java.util.Collection.class.isAssignableFrom(target) || target.isArray() ? "an array" : "an object";
    }

    /** {@code operations[2].key}, as a client would write it. */
    private static String where(List<JsonMappingException.Reference> path) {
        StringBuilder where = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getIndex() >= 0) {
                where.append('[').append(r.getIndex()).append(']');
            } else {
                where.append(where.isEmpty() ? "" : ".").append(r.getFieldName());
            }
        }
        return where.toString();
    }

    private static String pointer(List<JsonMappingException.Reference> path) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            pointer.append('/').append(r.getIndex() >= 0 ? Integer.toString(r.getIndex())
                    : r.getFieldName().replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }
}
