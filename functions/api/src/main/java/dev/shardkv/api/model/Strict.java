package dev.shardkv.api.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.Map;

/** Fields Jackson would otherwise coerce: a key is a JSON string, a version a whole number that fits, a flag a boolean. */
public final class Strict {
    private Strict() {
    }

    /** A JSON string, never a number or boolean turned into text. */
    public static final class Text extends StdDeserializer<String> {
        public Text() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                return p.getText();
            }
            throw new BadField(p, "a string", Map.of());
        }
    }

    /** An integer literal from 0 to Long.MAX_VALUE: 18446744073709551617 must not wrap to 1, nor 1e400 become 0. */
    public static final class Version extends StdDeserializer<Long> {
        public Version() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = ctxt.readTree(p);
            if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0) {
                return node.longValue();
            }
            throw new BadField(p, "a whole number from 0 to " + Long.MAX_VALUE,
                    Map.of("minimum", 0, "maximum", Long.MAX_VALUE));
        }
    }

    /** A JSON true or false, never "true" or 1. */
    public static final class Flag extends StdDeserializer<Boolean> {
        public Flag() {
            super(Boolean.class);
        }

        @Override
        public Boolean deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_TRUE) || p.hasToken(JsonToken.VALUE_FALSE)) {
                return p.getBooleanValue();
            }
            throw new BadField(p, "true or false", Map.of());
        }
    }
}
