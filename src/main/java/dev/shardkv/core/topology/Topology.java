package dev.shardkv.core.topology;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The deployment in one file: name prefix, routing mode, shards. Terraform reads the same file
 * ({@code jsondecode(file(...))}); every table and function name is derived here, never typed twice.
 */
public record Topology(String prefix, RoutingMode routing, List<ShardSpec> shards) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9-]{0,29}");
    private static final Pattern SHARD_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,19}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{1,16}");
    public static final int MAX_REPLICAS = 10;

    public Topology {
        shards = List.copyOf(shards == null ? List.of() : shards);
        routing = routing == null ? RoutingMode.RANGE : routing;
        validate(prefix, routing, shards);
    }

    public static Topology parse(String json) {
        try {
            return JSON.readValue(json, Topology.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("topology is not valid: " + rootMessage(e), e);
        }
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

    public ShardSpec shard(String id) {
        return shards.stream().filter(s -> s.id().equals(id)).findFirst()
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

    private static void validate(String prefix, RoutingMode routing, List<ShardSpec> shards) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                    "topology prefix must be 1-30 characters of a-z, 0-9 and '-', starting with a letter: " + prefix);
        }
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("topology must list at least one shard");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < shards.size(); i++) {
            ShardSpec s = shards.get(i);
            if (s.id() == null || !SHARD_ID.matcher(s.id()).matches()) {
                throw new IllegalArgumentException(
                        "shard id must be 1-20 characters of a-z, 0-9 and '-', not starting with '-': " + s.id());
            }
            if (!ids.add(s.id())) {
                throw new IllegalArgumentException("shard id \"" + s.id() + "\" appears twice");
            }
            if (s.replicas() < 1 || s.replicas() > MAX_REPLICAS) {
                throw new IllegalArgumentException(
                        "shard \"" + s.id() + "\" must have 1 to " + MAX_REPLICAS + " replicas, not " + s.replicas());
            }
            boolean first = i == 0;
            boolean last = i == shards.size() - 1;
            if (first != (s.start() == null)) {
                throw new IllegalArgumentException(first
                        ? "the first shard must start unbounded (no \"start\")"
                        : "shard \"" + s.id() + "\" must have a \"start\"");
            }
            if (last != (s.end() == null)) {
                throw new IllegalArgumentException(last
                        ? "the last shard must end unbounded (no \"end\")"
                        : "shard \"" + s.id() + "\" must have an \"end\"");
            }
            for (String bound : new String[] {s.start(), s.end()}) {
                if (bound == null) {
                    continue;
                }
                if (bound.isEmpty()) {
                    throw new IllegalArgumentException("shard \"" + s.id() + "\" has an empty bound");
                }
                if (routing == RoutingMode.HASH && !HEX.matcher(bound).matches()) {
                    throw new IllegalArgumentException("hash routing bounds are 1-16 lower-case hex digits: " + bound);
                }
                if (routing == RoutingMode.RANGE && !bound.equals(RoutingKeys.of(RoutingMode.RANGE, bound))) {
                    throw new IllegalArgumentException("range bounds compare with lower-cased keys, so write them in lower case: " + bound);
                }
            }
            if (s.start() != null && s.end() != null && RoutingKeys.compare(s.start(), s.end()) >= 0) {
                throw new IllegalArgumentException("shard \"" + s.id() + "\" must start before it ends");
            }
            if (!first && !s.start().equals(shards.get(i - 1).end())) {
                throw new IllegalArgumentException("shard \"" + s.id() + "\" must start where \""
                        + shards.get(i - 1).id() + "\" ends, so that every key has exactly one shard");
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
