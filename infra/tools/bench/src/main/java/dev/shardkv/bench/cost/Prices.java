package dev.shardkv.bench.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The list prices of one region, read from one JSON file (by default {@value #DEFAULT_RESOURCE} on the classpath):
 * every figure the cost model multiplies by, each with its unit, the AWS pricing page it comes from, where and when it
 * was read, and whether that reading confirmed it. A file that lacks a price the model needs, or gives one without a
 * value, unit or source, is refused whole: the model never falls back on a figure written in code.
 */
public final class Prices {
    public static final String DEFAULT_RESOURCE = "/cost/prices-us-east-1.json";

    /** Every price the model uses; {@link #load} refuses a file without one of them. */
    public static final List<String> REQUIRED = List.of(
            "lambda.request", "lambda.gbSecond.arm64", "lambda.gbSecond.x86_64",
            "apigateway.httpApi.request",
            "dynamodb.onDemand.writeRequestUnit", "dynamodb.onDemand.readRequestUnit",
            "dynamodb.globalTables.replicatedWriteRequestUnit", "dynamodb.storage.standard",
            "dynamodb.streams.readRequestUnit", "dataTransfer.interRegion",
            "sqs.standard.request", "eventbridge.scheduledRule.event",
            "cloudwatch.customMetric", "cloudwatch.alarm.standard", "cloudwatch.dashboard",
            "cloudwatch.logs.ingestion", "cloudwatch.logs.storage");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One list price: {@code value} USD for {@code per} {@code unit}.
     *
     * @param confirmedBy where the figure was read (URLs), empty when it was not
     */
    public record Price(String key, double value, double per, String unit, String region, String source,
            String checked, boolean confirmed, List<String> confirmedBy, String note) {
        /** USD for {@code quantity} units. */
        public double cost(double quantity) {
            return quantity * value / per;
        }

        /** USD for one unit. */
        public double unitPrice() {
            return value / per;
        }

        /** As people read it: "$0.20 per 1M requests". */
        public String label() {
            String amount = value == 0 ? "$0" : "$" + trim(value);
            String count = per == 1_000_000 ? "1M " : per == 100_000 ? "100K " : per == 1 ? "" : String.format(java.util.Locale.ROOT, "%,.0f ", per);
            return amount + " per " + count + (per == 1 ? singular(unit) : unit);
        }

        private static String singular(String unit) {
            return unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
        }

        /** At least two decimals (a price in dollars and cents), more where the price has them. */
        private static String trim(double x) {
            String s = java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
            int dot = s.indexOf('.');
            return dot < 0 ? s + ".00" : s.length() - dot == 2 ? s + "0" : s;
        }
    }

    private final String file;
    private final String region;
    private final String checked;
    private final Map<String, Price> prices;

    private Prices(String file, String region, String checked, Map<String, Price> prices) {
        this.file = file;
        this.region = region;
        this.checked = checked;
        this.prices = Collections.unmodifiableMap(prices);
    }

    /** The prices shipped with the model. */
    public static Prices defaults() {
        try (InputStream in = Prices.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the price file " + DEFAULT_RESOURCE + " is not on the classpath");
            }
            return parse(JSON.readTree(in), "classpath:" + DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prices from a file of the same shape ({@code --prices FILE}). */
    public static Prices load(Path file) {
        try {
            return parse(JSON.readTree(Files.readString(file)), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the price file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses and checks a price document: every {@link #REQUIRED} price, each with a value, unit and source. */
    public static Prices parse(JsonNode doc, String file) {
        JsonNode all = doc.path("prices");
        List<String> problems = new ArrayList<>();
        if (!all.isObject()) {
            throw new IllegalArgumentException(file + ": no \"prices\" object");
        }
        Map<String, Price> prices = new LinkedHashMap<>();
        String region = doc.path("region").asText("");
        for (var entry : all.properties()) {
            JsonNode p = entry.getValue();
            String key = entry.getKey();
            if (!p.path("value").isNumber()) {
                problems.add(key + " has no numeric \"value\"");
                continue;
            }
            for (String field : List.of("unit", "source", "region", "checked")) {
                if (p.path(field).asText("").isBlank()) {
                    problems.add(key + " has no \"" + field + "\"");
                }
            }
            double per = p.path("per").asDouble(1);
            if (per <= 0) {
                problems.add(key + " has a \"per\" that is not positive");
            }
            if (p.path("value").asDouble() < 0) {
                problems.add(key + " has a negative \"value\"");
            }
            List<String> confirmedBy = new ArrayList<>();
            p.path("confirmedBy").forEach(c -> confirmedBy.add(c.isTextual() ? c.asText() : c.path("url").asText()));
            prices.put(key, new Price(key, p.path("value").asDouble(), per, p.path("unit").asText(),
                    p.path("region").asText(region), p.path("source").asText(), p.path("checked").asText(""),
                    p.path("confirmed").asBoolean(false), List.copyOf(confirmedBy), p.path("note").asText("")));
        }
        for (String key : REQUIRED) {
            if (!prices.containsKey(key) && problems.stream().noneMatch(s -> s.startsWith(key + " "))) {
                problems.add(key + " is missing");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(file + ": " + String.join("; ", problems));
        }
        return new Prices(file, region, doc.path("checked").asText(""), prices);
    }

    /** The price of that key; a key the file lacks is an error (the file was checked for every one the model uses). */
    public Price get(String key) {
        Price price = prices.get(key);
        if (price == null) {
            throw new IllegalArgumentException("no price \"" + key + "\" in " + file);
        }
        return price;
    }

    public Map<String, Price> all() {
        return prices;
    }

    public String file() {
        return file;
    }

    public String region() {
        return region;
    }

    public String checked() {
        return checked;
    }
}
