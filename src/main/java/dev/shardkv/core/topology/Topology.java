package dev.shardkv.core.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The deployment in one file: name prefix, routing mode, shards. Terraform reads the same file
 * ({@code jsondecode(file(...))}); every table and function name is derived here, never typed twice.
 * The rules a topology must follow are {@link TopologyRules}'s, and Terraform's
 * {@code modules/topology} applies the same ones.
 *
 * <p>{@code shards} are the routed shards (the seed of the shard map); {@code staged} are shards that
 * exist (tables, functions, stream mapping) but are not routed yet: a split's or merge's targets,
 * deployed before the operation runs, which gives them their ranges at its cutover. A staged shard has
 * an id and replicas only ({@link ShardSpec} with null start and end); {@link #shard(String)} finds it,
 * since its own functions look their shard up by id.
 */
public record Topology(String prefix, RoutingMode routing, List<ShardSpec> shards,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ShardSpec> staged) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    public static final int MAX_REPLICAS = TopologyRules.MAX_REPLICAS;
    /** The shard id rule in words, as refusals quote it. */
    public static final String SHARD_ID_RULE = TopologyRules.SHARD_ID_RULE;

    public Topology {
        shards = List.copyOf(shards == null ? List.of() : shards);
        staged = List.copyOf(staged == null ? List.of() : staged);
        routing = routing == null ? RoutingMode.RANGE : routing;
        refuseIfBroken(TopologyRules.errors(JSON.valueToTree(new Written(prefix, routing.json(), shards, staged))));
    }

    /** A topology with no staged shards. */
    public Topology(String prefix, RoutingMode routing, List<ShardSpec> shards) {
        this(prefix, routing, shards, List.of());
    }

    /**
     * Parses and checks topology JSON. The rules see the JSON as written, so a string where a number
     * belongs ({@code "replicas": "2"}), a fraction ({@code 2.5}) or a misspelt field is refused,
     * never coerced or dropped; every broken rule is listed in the message.
     */
    public static Topology parse(String json) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("topology is not valid: the text is not valid JSON ("
                    + rootMessage(e) + ")", e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new IllegalArgumentException("topology is not valid: the text is not valid JSON (it is empty)");
        }
        refuseIfBroken(TopologyRules.errors(tree));
        try {
            return JSON.treeToValue(tree, Topology.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("topology is not valid: " + rootMessage(e), e);
        }
    }

    private static void refuseIfBroken(List<String> errors) {
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("topology is not valid: " + String.join("; ", errors));
        }
    }

    /** The fields as the file would hold them, for the rules (absent bounds stay absent). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Written(String prefix, String routing, List<ShardSpec> shards, List<ShardSpec> staged) {
    }

    public static Topology load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read topology " + file, e);
        }
    }

    public static Topology fromClasspath(String resource) {
        try (InputStream in = Topology.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no topology resource " + resource);
            }
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether an id passes the shard id rule ({@link #SHARD_ID_RULE}): it becomes part of AWS names. */
    public static boolean isShardId(String id) {
        return TopologyRules.isShardId(id);
    }

    /** A routed or staged shard of the topology, by id (a staged shard's functions look theirs up too). */
    public ShardSpec shard(String id) {
        return Stream.concat(shards.stream(), staged.stream()).filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no shard \"" + id + "\" in the topology"));
    }

    // Names: {prefix}-{shard}-leader, {prefix}-{shard}-replica-{n}, {prefix}-control, and the functions.

    public String leaderTable(String shard) {
        return prefix + "-" + shard + "-leader";
    }

    public String replicaTable(String shard, int replica) {
        return prefix + "-" + shard + "-replica-" + replica;
    }

    public List<String> replicaTables(String shard) {
        List<String> tables = new ArrayList<>();
        for (int n = 1; n <= shard(shard).replicas(); n++) {
            tables.add(replicaTable(shard, n));
        }
        return tables;
    }

    public String controlTable() {
        return prefix + "-control";
    }

    public String writerFunction(String shard) {
        return prefix + "-" + shard + "-writer";
    }

    public String readerFunction(String shard) {
        return prefix + "-" + shard + "-reader";
    }

    public String replicatorFunction(String shard) {
        return prefix + "-" + shard + "-replicator";
    }

    public String gatewayFunction() {
        return prefix + "-gateway";
    }

    public String coordinatorFunction() {
        return prefix + "-coordinator";
    }

    public String heartbeatFunction() {
        return prefix + "-heartbeat";
    }

    /** Runs the splits and merges (Terraform: resharder.tf). */
    public String resharderFunction() {
        return prefix + "-resharder";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
