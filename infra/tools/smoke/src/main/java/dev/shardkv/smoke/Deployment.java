package dev.shardkv.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.embedded.DynamoDbLocal;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.Comparator;

/**
 * What the plan deploys, stood up on this machine: its tables in DynamoDB Local over HTTP, the one AWS endpoint
 * the functions call, and an execution environment per function, started by its first invocation.
 */
final class Deployment implements AutoCloseable {
    private final TerraformPlan plan;
    private final Path terraformDir;
    private final Path work;
    private final ManagedRuntime runtime;
    private final String[] arn;
    private final ApiEvents api;
    private final Map<String, ExecutionEnvironment> environments = new ConcurrentHashMap<>();
    private final Map<Path, Path> unpacked = new ConcurrentHashMap<>();
    private DynamoDbLocal dynamo;
    private RawDynamo raw;
    private AwsEndpoint endpoint;
    private Streams streams;

    Deployment(TerraformPlan plan, Path terraformDir, Path work, Path runtimeLib) {
        this.plan = plan;
        this.terraformDir = terraformDir;
        this.work = work;
        this.runtime = new ManagedRuntime(runtimeLib);
        this.arn = plan.arnContext();
        this.api = new ApiEvents(plan.routes(), arn[2]);
    }

    /** DynamoDB Local with the plan's tables and items, and the functions' AWS endpoint in front of it. */
    String start() {
        dynamo = DynamoDbLocal.http(0, null);
        raw = new RawDynamo(dynamo.endpoint());
        for (TerraformPlan.Table t : plan.tables()) {
            raw.createTable(t.name(), t.hashKey(), t.stream());
        }
        for (TerraformPlan.Item item : plan.items()) {
            raw.put(item.table(), item.itemJson());
        }
        streams = new Streams(raw);
        Map<String, String> hashKeys = plan.tables().stream()
                .collect(Collectors.toMap(TerraformPlan.Table::name, TerraformPlan.Table::hashKey));
        Map<String, IamPolicy> policies = new LinkedHashMap<>();
        plan.functions().forEach(f -> policies.put(f.name(), f.policy()));
        Map<String, String> callers = new LinkedHashMap<>();
        plan.functions().forEach(f -> callers.put(accessKey(f.name()), f.name()));
        endpoint = new AwsEndpoint(dynamo.endpoint(), callers, policies, hashKeys::get, arn, new AwsEndpoint.Invoker() {
            @Override
            public ExecutionEnvironment.Result invoke(String function, String qualifier, byte[] payload) {
                // Synchronous or not, the deadline is the function's timeout from the plan (the resharder's: 900 s).
                return Deployment.this.invoke(function, qualifier, payload, null);
            }

            @Override
            public boolean exists(String function) {
                return plan.function(function).isPresent();
            }
        });
        return plan.tables().size() + " tables, " + plan.items().size() + " items, on " + dynamo.endpoint()
                + "; the functions' AWS endpoint " + endpoint.uri();
    }

    TerraformPlan plan() {
        return plan;
    }

    String[] arn() {
        return arn;
    }

    RawDynamo raw() {
        return raw;
    }

    Streams streams() {
        return streams;
    }

    /** The endpoint, or null before {@link #start()}. */
    AwsEndpoint endpoint() {
        return endpoint;
    }

    Collection<ExecutionEnvironment> environments() {
        return environments.values();
    }

    ApiEvents.Response http(String method, String target, String body) {
        Map<String, String> headers = body == null ? Map.of() : Map.of("content-type", "application/json");
        byte[] event = api.event(method, target, headers, body);
        TerraformPlan.Function gateway = plan.functions().stream()
                .filter(f -> f.name().equals(topology().gatewayFunction())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no gateway function in the plan"));
        ExecutionEnvironment.Result result = invoke(gateway.name(), "live", event, null);
        Smoke.expect(result.errorType() == null, method + " " + target + ": the gateway failed: " + result.text());
        return ApiEvents.response(result.payload());
    }

    /** Invokes a function as Lambda does: deadline from its timeout in the plan unless given. */
    ExecutionEnvironment.Result invoke(String function, String qualifier, byte[] payload, Long deadlineMs) {
        TerraformPlan.Function f = plan.function(function).orElseThrow();
        String invoked = "arn:" + arn[0] + ":lambda:" + arn[1] + ":" + arn[2] + ":function:" + function
                + (qualifier == null ? "" : ":" + qualifier);
        return environment(function).invoke(payload, invoked,
                deadlineMs != null ? deadlineMs : System.currentTimeMillis() + f.timeoutS() * 1000L);
    }

    ExecutionEnvironment environment(String function) {
        return environments.computeIfAbsent(function, name -> {
            TerraformPlan.Function f = plan.function(name).orElseThrow();
            Map<String, String> lambda = new LinkedHashMap<>();
            lambda.put("AWS_REGION", arn[1]);
            lambda.put("AWS_DEFAULT_REGION", arn[1]);
            lambda.put("AWS_ACCESS_KEY_ID", accessKey(name)); // each function signs as its own role; the endpoint checks its policy
            lambda.put("AWS_SECRET_ACCESS_KEY", "smoke");
            lambda.put("AWS_SESSION_TOKEN", "smoke");
            lambda.put("AWS_ENDPOINT_URL", endpoint.uri().toString());
            try {
                Path logs = Files.createDirectories(work.resolve("logs"));
                return new ExecutionEnvironment(f, taskRoot(f), runtime, lambda,
                        logs.resolve(name + ".log"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A function's access key: letters and digits only (DynamoDB Local refuses others), one per function. */
    private String accessKey(String function) {
        int index = plan.functions().stream().map(TerraformPlan.Function::name).toList().indexOf(function);
        return String.format("ASIA%02d%s", index, function.replaceAll("[^A-Za-z0-9]", "").toUpperCase(java.util.Locale.ROOT));
    }

    /** The function's zip (its filename in the plan) unpacked once, read-only like /var/task. */
    private Path taskRoot(TerraformPlan.Function f) {
        Path zip = terraformDir.resolve(f.zip()).normalize();
        return unpacked.computeIfAbsent(zip, z -> {
            if (!Files.isRegularFile(z)) {
                throw new IllegalStateException("no " + z + ": build the zips first (./shardkv build)");
            }
            Path dir = work.resolve("task").resolve(Integer.toHexString(z.toString().hashCode()));
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(z))) {
                deleteRecursively(dir);
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    Path target = dir.resolve(e.getName()).normalize();
                    if (!target.startsWith(dir)) {
                        throw new IllegalStateException("zip entry outside its folder: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(in, target);
                    }
                }
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Delivers every stream's new records to its mapped function, as the event source mapping does. */
    int deliverStreams() {
        int total = 0;
        for (TerraformPlan.StreamMapping m : plan.streams()) {
            List<ObjectNode> records = streams.read(m.table());
            for (int from = 0; from < records.size(); from += m.batchSize()) {
                List<ObjectNode> batch = records.subList(from, Math.min(records.size(), from + m.batchSize()));
                ExecutionEnvironment.Result result = invoke(m.function(), m.qualifier(), streams.event(batch), null);
                Smoke.expect(result.errorType() == null, m.function() + " failed: " + result.text());
                JsonNode failures = Smoke.readJson(result.payload()).path("batchItemFailures");
                Smoke.expect(failures.isEmpty(), m.function() + " reported failed records " + failures);
                total += batch.size();
            }
        }
        return total;
    }

    Topology topology() {
        TerraformPlan.Function any = plan.functions().get(0);
        return Topology.parse(any.environment().get("SHARDKV_TOPOLOGY"));
    }

    List<String> shards() {
        return topology().shards().stream().map(s -> s.id()).toList();
    }

    /** A key in each shard, found by routing candidates with the shard map Terraform seeds. */
    Map<String, String> keysByShard() {
        ShardMap map = ShardMap.initial(topology());
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; keys.size() < map.shards().size() && i < 10_000; i++) {
            String candidate = (char) ('a' + i % 26) + "smoke" + i;
            keys.putIfAbsent(map.route(candidate).id(), candidate);
        }
        return keys;
    }

    String leaderOf(String shard) {
        return topology().leaderTable(shard);
    }

    List<String> replicasOf(String shard) {
        return topology().replicaTables(shard);
    }

    String shardOfTable(String leaderTable) {
        return shards().stream().filter(s -> leaderOf(s).equals(leaderTable)).findFirst().orElseThrow();
    }

    void printInitTimes(PrintStream out) {
        if (environments.isEmpty()) {
            return;
        }
        out.println("  init times (cold start without SnapStart; Lambda's Init Duration):");
        environments.values().stream().sorted(Comparator.comparing(ExecutionEnvironment::name)).forEach(e -> {
            TerraformPlan.Function f = plan.function(e.name()).orElseThrow();
            String handler = f.environment().getOrDefault("QUARKUS_LAMBDA_HANDLER", "gateway");
            out.printf("    %-28s %-11s %5d MB  %s%n", e.name(), handler, f.memoryMb(),
                    e.initMs() < 0 ? "not initialized" : e.initMs() + " ms");
        });
    }

    @Override
    public void close() {
        environments.values().parallelStream().forEach(ExecutionEnvironment::close);
        if (endpoint != null) {
            endpoint.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
    }
}
