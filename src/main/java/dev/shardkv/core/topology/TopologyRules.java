package dev.shardkv.core.topology;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Every rule a topology must follow, checked on the JSON as written (before any type coercion), with
 * every broken rule reported rather than the first.
 *
 * <p>Terraform applies the same rules, with the same messages, in {@code terraform/modules/topology}:
 * a topology that passes {@code terraform plan} must start here and the other way round. Both are
 * held to one table of cases, {@code src/test/resources/topology-cases.json} (read by
 * {@code TopologyCasesTest} and by {@code terraform/tests/topology_cases.tftest.hcl}); change a rule
 * in both places and add its cases there.
 *
 * <p>Where the derived names are concerned (a staged shard's are a routed shard's): the prefix (1-20)
 * and a shard id (1-20) make the longest name {@code {prefix}-{shard}-replicator-dlq} at most 56
 * characters, so every function and IAM role name ({@code {prefix}-{shard}-replicator}, at most 52)
 * fits Lambda's and IAM's 64, queue names fit SQS's 80, role policy names
 * ({@code <function>-least-privilege}, at most 69) fit IAM's 128, and table names (at most 52,
 * {@code [a-z0-9-]}) fit DynamoDB's 3-255 of {@code [a-zA-Z0-9_.-]}.
 */
final class TopologyRules {
    static final int MAX_REPLICAS = 10;
    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9-]{0,19}");
    static final String SHARD_ID_RULE = "1-20 characters of a-z, 0-9 and '-', not starting with '-'";
    private static final Pattern SHARD_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,19}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{1,16}");
    private static final Set<String> TOPOLOGY_FIELDS = Set.of("prefix", "routing", "shards", "staged");
    private static final Set<String> SHARD_FIELDS = Set.of("id", "start", "end", "replicas");
    private static final Set<String> STAGED_FIELDS = Set.of("id", "replicas");

    private TopologyRules() {
    }

    /** The broken rules, in a fixed order (the same as Terraform's); empty when the topology is valid. */
    static List<String> errors(JsonNode topology) {
        List<String> errors = new ArrayList<>();
        if (topology == null || !topology.isObject()) {
            errors.add("the topology must be a JSON object");
            return errors;
        }
        for (String field : sortedFields(topology)) {
            if (!TOPOLOGY_FIELDS.contains(field)) {
                errors.add("unknown field \"" + field + "\" (a topology has prefix, routing, shards and staged)");
            }
        }
        JsonNode prefix = topology.get("prefix");
        if (prefix == null || !prefix.isTextual() || !PREFIX.matcher(prefix.textValue()).matches()) {
            errors.add("prefix must be 1-20 characters of a-z, 0-9 and '-', starting with a letter"
                    + " (derived names must fit AWS limits): " + json(prefix));
        }
        JsonNode routingNode = present(topology.get("routing"));
        String routing = routingNode == null ? "range"
                : routingNode.isTextual() && Set.of("range", "hash").contains(routingNode.textValue())
                        ? routingNode.textValue() : null;
        if (routing == null) {
            errors.add("routing must be \"range\" or \"hash\": " + json(routingNode));
        }
        JsonNode shards = topology.get("shards");
        if (shards == null || !shards.isArray() || shards.isEmpty()) {
            errors.add("shards must be a non-empty list");
        } else {
            checkShards(errors, shards, routing);
        }
        checkStaged(errors, present(topology.get("staged")), shards);
        return errors;
    }

    /** The routed shards: ids, replicas, and bounds that cover every key exactly once. */
    private static void checkShards(List<String> errors, JsonNode shards, String routing) {
        int last = shards.size() - 1;
        for (int i = 0; i <= last; i++) {
            JsonNode shard = shards.get(i);
            String at = "shards[" + i + "]";
            if (!shard.isObject()) {
                errors.add(at + " must be a JSON object");
                continue;
            }
            for (String field : sortedFields(shard)) {
                if (!SHARD_FIELDS.contains(field)) {
                    errors.add(at + ": unknown field \"" + field + "\" (a shard has id, start, end and replicas)");
                }
            }
            JsonNode id = shard.get("id");
            if (id == null || !id.isTextual() || !isShardId(id.textValue())) {
                errors.add(at + ": id must be " + SHARD_ID_RULE + ": " + json(id));
            }
            if (id != null && id.isTextual() && appearsBefore(shards, i, id.textValue())) {
                errors.add(at + ": id " + json(id) + " appears twice");
            }
            JsonNode replicas = shard.get("replicas");
            if (!isReplicaCount(replicas)) {
                errors.add(at + ": replicas must be a whole number from 1 to " + MAX_REPLICAS + ": " + json(replicas));
            }
            JsonNode start = present(shard.get("start"));
            JsonNode end = present(shard.get("end"));
            if (i == 0 && start != null) {
                errors.add(at + ": the first shard must start unbounded (no \"start\")");
            }
            if (i > 0 && start == null) {
                errors.add(at + ": needs a \"start\" (only the first shard starts unbounded)");
            }
            if (i == last && end != null) {
                errors.add(at + ": the last shard must end unbounded (no \"end\")");
            }
            if (i < last && end == null) {
                errors.add(at + ": needs an \"end\" (only the last shard ends unbounded)");
            }
            checkBound(errors, at, "start", start, routing);
            checkBound(errors, at, "end", end, routing);
            if (nonEmptyText(start) && nonEmptyText(end)
                    && RoutingKeys.compare(start.textValue(), end.textValue()) >= 0) {
                errors.add(at + ": must start before it ends");
            }
            if (i > 0 && nonEmptyText(start)) {
                JsonNode previous = shards.get(i - 1);
                JsonNode previousEnd = previous.isObject() ? present(previous.get("end")) : null;
                if (nonEmptyText(previousEnd) && !previousEnd.textValue().equals(start.textValue())) {
                    errors.add(at + ": must start where shards[" + (i - 1) + "] ends (" + json(previousEnd)
                            + "), so that every key has exactly one shard");
                }
            }
        }
    }

    /**
     * The staged shards: a split's or merge's targets, deployed (tables, functions, stream mapping) but
     * not routed until the operation's cutover, which gives them their ranges: so an id and replicas only.
     * An id may not be a routed shard's either ({@code shards} when it is a list; absent or null
     * {@code staged} means none).
     */
    private static void checkStaged(List<String> errors, JsonNode staged, JsonNode shards) {
        if (staged == null) {
            return;
        }
        if (!staged.isArray()) {
            errors.add("staged must be a list");
            return;
        }
        for (int i = 0; i < staged.size(); i++) {
            JsonNode shard = staged.get(i);
            String at = "staged[" + i + "]";
            if (!shard.isObject()) {
                errors.add(at + " must be a JSON object");
                continue;
            }
            for (String field : sortedFields(shard)) {
                if (!STAGED_FIELDS.contains(field)) {
                    errors.add(at + ": unknown field \"" + field + "\" (a staged shard has id and replicas)");
                }
            }
            JsonNode id = shard.get("id");
            if (id == null || !id.isTextual() || !isShardId(id.textValue())) {
                errors.add(at + ": id must be " + SHARD_ID_RULE + ": " + json(id));
            }
            if (id != null && id.isTextual() && ((shards != null && shards.isArray()
                    && appearsBefore(shards, shards.size(), id.textValue())) || appearsBefore(staged, i, id.textValue()))) {
                errors.add(at + ": id " + json(id) + " appears twice");
            }
            JsonNode replicas = shard.get("replicas");
            if (!isReplicaCount(replicas)) {
                errors.add(at + ": replicas must be a whole number from 1 to " + MAX_REPLICAS + ": " + json(replicas));
            }
        }
    }

    static boolean isShardId(String id) {
        return id != null && SHARD_ID.matcher(id).matches();
    }

    /** A JSON number that is a whole number from 1 to {@link #MAX_REPLICAS} (2.0 is; "2" and 2.5 are not). */
    private static boolean isReplicaCount(JsonNode replicas) {
        return replicas != null && replicas.isNumber() && replicas.canConvertToExactIntegral()
                && replicas.asDouble() >= 1 && replicas.asDouble() <= MAX_REPLICAS;
    }

    private static void checkBound(List<String> errors, String at, String name, JsonNode bound, String routing) {
        if (bound == null) {
            return;
        }
        if (!nonEmptyText(bound)) {
            errors.add(at + ": " + name + " must be a non-empty string: " + json(bound));
        } else if ("range".equals(routing) && !bound.textValue().equals(bound.textValue().toLowerCase(Locale.ROOT))) {
            errors.add(at + ": " + name + " must be in lower case, since range routing compares lower-cased keys: "
                    + json(bound));
        } else if ("hash".equals(routing) && !HEX.matcher(bound.textValue()).matches()) {
            errors.add(at + ": " + name + " must be 1-16 lower-case hex digits, since hash routing compares"
                    + " 16-digit hashes: " + json(bound));
        }
    }

    private static boolean appearsBefore(JsonNode shards, int index, String id) {
        for (int j = 0; j < index; j++) {
            JsonNode other = shards.get(j).get("id");
            if (other != null && other.isTextual() && other.textValue().equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** JSON null counts as absent, as Terraform's {@code try(x.start, null)} sees it. */
    private static JsonNode present(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }

    private static boolean nonEmptyText(JsonNode node) {
        return node != null && node.isTextual() && !node.textValue().isEmpty();
    }

    private static Set<String> sortedFields(JsonNode object) {
        Set<String> fields = new TreeSet<>();
        object.fieldNames().forEachRemaining(fields::add);
        return fields;
    }

    /** The value as JSON, as Terraform's {@code jsonencode} prints it in the same message. */
    private static String json(JsonNode node) {
        return node == null ? "null" : node.toString();
    }
}
