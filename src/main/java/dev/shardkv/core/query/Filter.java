package dev.shardkv.core.query;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.ValueCodec;
import java.util.Locale;

/**
 * A simple filter on a field of the JSON value: {@code field op value}, where {@code field} is a
 * dotted path into objects ({@code plan}, {@code stats.score}) and {@code value} a JSON scalar.
 * Numbers compare as numbers, strings as strings; a missing field matches only {@code ne}.
 */
public record Filter(String field, Op op, String value) {

    public enum Op {
        EQ, NE, GT, GTE, LT, LTE;

        public static Op parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new ShardKvException(ProblemType.INVALID_REQUEST,
                        "op must be one of eq, ne, gt, gte, lt, lte; got \"" + text + "\".");
            }
        }
    }

    public Filter {
        requireField(field);
        if (op == null) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST, "A filter needs an op.");
        }
        JsonNode v = parsedValue(value);
        if (!v.isValueNode()) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST,
                    "A filter value is a JSON scalar (a number, a \"string\", true, false or null); got " + value + ".");
        }
    }

    public static void requireField(String field) {
        if (field == null || field.isBlank() || field.length() > 256 || field.startsWith(".") || field.endsWith(".")
                || field.contains("..")) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST,
                    "field must be a dotted path of JSON object fields, like score or stats.score; got \"" + field + "\".");
        }
    }

    /** The field's node in a value, or null when the value has no such field. */
    public static JsonNode at(JsonNode value, String field) {
        JsonNode node = value;
        for (String part : field.split("\\.")) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(part);
        }
        return node;
    }

    public boolean matches(JsonNode item) {
        JsonNode actual = at(item, field);
        JsonNode expected = parsedValue(value);
        if (actual == null || actual.isMissingNode()) {
            return op == Op.NE;
        }
        int cmp;
        if (actual.isNumber() && expected.isNumber()) {
            cmp = actual.decimalValue().compareTo(expected.decimalValue());
        } else if (actual.isTextual() && expected.isTextual()) {
            cmp = actual.textValue().compareTo(expected.textValue());
        } else if (op == Op.EQ || op == Op.NE) {
            boolean equal = actual.equals(expected);
            return op == Op.EQ ? equal : !equal;
        } else {
            return false; // ordering across types means nothing
        }
        return switch (op) {
            case EQ -> cmp == 0;
            case NE -> cmp != 0;
            case GT -> cmp > 0;
            case GTE -> cmp >= 0;
            case LT -> cmp < 0;
            case LTE -> cmp <= 0;
        };
    }

    @JsonIgnore
    private static JsonNode parsedValue(String value) {
        if (value == null) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST, "A filter needs a value.");
        }
        try {
            return ValueCodec.tree(ValueCodec.compact(value));
        } catch (ShardKvException e) {
            // A bare word is taken as a string: plan eq gold means "gold".
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(value);
        }
    }
}
