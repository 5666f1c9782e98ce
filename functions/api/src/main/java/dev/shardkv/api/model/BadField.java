package dev.shardkv.api.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Map;

/**
 * A field of a request body that does not hold what it must: Jackson adds where it is (e.g.
 * {@code operations[2].version}), and the body reader turns it into a 400 problem.
 */
public class BadField extends MismatchedInputException {
    private final String expected;
    private final transient Map<String, Object> fields;

    /**
     * @param expected what the field must be, e.g. "a string"
     * @param fields   structured fields for the problem, e.g. the bounds of a number
     */
    public BadField(JsonParser parser, String expected, Map<String, Object> fields) {
        super(parser, "must be " + expected, (Class<?>) null);
        this.expected = expected;
        this.fields = Map.copyOf(fields);
    }

    public String expected() {
        return expected;
    }

    public Map<String, Object> fields() {
        return fields;
    }
}
