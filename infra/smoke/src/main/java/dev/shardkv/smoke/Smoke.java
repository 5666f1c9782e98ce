package dev.shardkv.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.embedded.DynamoDbLocal;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * {@code ./shardkv smoke}: the zips Terraform deploys, run as Lambda runs them, against DynamoDB Local,
 * driven through the same path a request takes on AWS (HTTP API event, gateway, Lambda invoke, leader
 * table, stream, replicator, replicas, reader). Prints each step and each function's init time; exits 0
 * only when every step passed.
 *
 * <pre>
 *   java dev.shardkv.smoke.Smoke [--terraform DIR] [--work DIR]
 * </pre>
 */
public final class Smoke implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The reserved key the heartbeat writes (modules/control). */
    static final String HEARTBEAT_KEY = "__shardkv:heartbeat";

    private final Path terraformDir;
    private final Path work;
    private final Path runtimeLib;
    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();
    private final Map<String, ExecutionEnvironment> environments = new ConcurrentHashMap<>();
    private final Map<Path, Path> unpacked = new ConcurrentHashMap<>();
    private TerraformPlan plan;
    private DynamoDbLocal dynamo;
    private RawDynamo raw;
    private AwsEndpoint endpoint;
    private ApiEvents api;
    private Streams streams;
    private String[] arn;

    /**
     * @param runtimeLib the managed runtime's libraries (the Runtime Interface Client; target/lambda-runtime)
     */
    public Smoke(Path terraformDir, Path work, Path runtimeLib, PrintStream out) {
        this.terraformDir = terraformDir.toAbsolutePath().normalize();
        this.work = work.toAbsolutePath().normalize();
        this.runtimeLib = runtimeLib.toAbsolutePath().normalize();
        this.out = out;
    }

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("shardkv.root", ".")).toAbsolutePath().normalize();
        Path terraform = root.resolve("terraform/examples/localstack");
        Path work = root.resolve("infra/smoke/target/smoke-run");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--terraform" -> terraform = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: ./shardkv smoke [--terraform DIR] [--work DIR]");
                    System.exit(2);
                }
            }
        }
        int status;
        try (Smoke smoke = new Smoke(terraform, work, root.resolve("infra/smoke/target/lambda-runtime"), System.out)) {
            status = smoke.run() ? 0 : 1;
        }
        System.exit(status);
    }

    /** Runs every step; true when all passed. */
    public boolean run() {
        long begin = System.nanoTime();
        out.println("smoke: the deployable zips, run as Lambda runs them (Terraform: " + terraformDir + ")");
        boolean ok = step("plan", "terraform plan of the example, read with terraform show -json", this::plan)
                && step("endpoints", "every AWS service in the plan has an endpoint in the example's provider", this::endpoints)
                && step("tables", "DynamoDB Local over HTTP; the plan's tables and seeded items", this::tables)
                && step("write", "HTTP API event -> gateway -> Lambda Invoke -> writer -> leader table, one key per shard",
                        this::writes)
                && step("replicate", "leader stream records as a DynamodbEvent -> replicator -> every replica", this::replicate)
                && step("keys", "keys are the UTF-8 of the raw path: %C3%A9, ';x=1' kept, %FF refused", this::keys)
                && step("transaction", "a cross-shard transaction -> gateway -> coordinator -> both leaders", this::transaction)
                && step("heartbeat", "a scheduled event -> heartbeat -> every leader, then replicated", this::heartbeat)
                && step("read", "eventual read (lag known from the heartbeat): HTTP API event -> gateway -> reader -> a replica", this::read)
                && step("poison", "a stream record the replicator cannot read -> a batch item failure naming it", this::poison)
                && step("every function", "each function of the plan started and finished its init", this::everyFunction);
        // Always report what IAM refused: it explains most failures above.
        ok &= step("iam", "no call was refused by the caller's policy from the plan", this::iam);
        printInitTimes();
        out.printf("smoke: %s in %.1f s%n", ok ? "PASSED" : "FAILED (" + String.join(", ", failures) + ")",
                (System.nanoTime() - begin) / 1e9);
        return ok;
    }

    public List<String> failures() {
        return failures;
    }

    // ------------------------------------------------------------------------------------------ steps

    private String plan() {
        plan = TerraformPlan.plan(terraformDir, work.resolve("terraform"), Map.of("observability_enabled", "true"));
        arn = plan.arnContext();
        api = new ApiEvents(plan.routes(), arn[2]);
        return plan.functions().size() + " functions, " + plan.tables().size() + " tables, " + plan.streams().size()
                + " stream mappings, " + plan.routes().size() + " routes";
    }

    private String endpoints() {
        List<String> missing = EmulatorEndpoints.missing(plan.resourceTypes(), plan.endpoints());
        if (!missing.isEmpty()) {
            throw new IllegalStateException(String.join("; ", missing));
        }
        return "services " + EmulatorEndpoints.services(plan.resourceTypes()) + " all in " + plan.endpoints();
    }

    private String tables() {
        dynamo = DynamoDbLocal.http(0, null);
        raw = new RawDynamo(dynamo.endpoint());
        for (TerraformPlan.Table t : plan.tables()) {
            raw.createTable(t.name(), t.hashKey(), t.stream());
        }
        for (TerraformPlan.Item item : plan.items()) {
            raw.put(item.table(), item.itemJson());
        }
        streams = new Streams(raw, arn);
        Map<String, String> hashKeys = plan.tables().stream()
                .collect(Collectors.toMap(TerraformPlan.Table::name, TerraformPlan.Table::hashKey));
        Map<String, IamPolicy> policies = new LinkedHashMap<>();
        plan.functions().forEach(f -> policies.put(f.name(), f.policy()));
        Map<String, String> callers = new LinkedHashMap<>();
        plan.functions().forEach(f -> callers.put(accessKey(f.name()), f.name()));
        endpoint = new AwsEndpoint(dynamo.endpoint(), callers, policies, hashKeys::get, arn, new AwsEndpoint.Invoker() {
            @Override
            public ExecutionEnvironment.Result invoke(String function, String qualifier, byte[] payload) {
                return Smoke.this.invoke(function, qualifier, payload, null);
            }

            @Override
            public boolean exists(String function) {
                return plan.function(function).isPresent();
            }
        });
        return plan.tables().size() + " tables, " + plan.items().size() + " items, on " + dynamo.endpoint()
                + "; the functions' AWS endpoint " + endpoint.uri();
    }

    private String writes() {
        List<String> done = new ArrayList<>();
        for (var e : keysByShard().entrySet()) {
            ApiEvents.Response r = http("PUT", "/v1/kv/" + e.getValue(), "{\"smoke\":true,\"shard\":\"" + e.getKey() + "\"}");
            expect(r.status() == 201, "PUT " + e.getValue() + " answered " + r);
            expect(e.getKey().equals(r.header("X-Shard")), "PUT " + e.getValue() + " went to shard " + r.header("X-Shard"));
            JsonNode item = raw.get(leaderOf(e.getKey()), e.getValue());
            expect(item != null && item.path("version").path("N").asText().equals("1"),
                    "the leader of " + e.getKey() + " holds " + item);
            done.add(e.getValue() + "->" + e.getKey());
        }
        return String.join(", ", done) + " (201, version 1 in each leader)";
    }

    private String replicate() {
        int records = deliverStreams();
        for (var e : keysByShard().entrySet()) {
            for (String replica : replicasOf(e.getKey())) {
                JsonNode item = raw.get(replica, e.getValue());
                expect(item != null && item.path("version").path("N").asText().equals("1"),
                        replica + " holds " + item + " for " + e.getValue());
            }
        }
        return records + " stream records applied, every replica holds version 1";
    }

    private String read() {
        var first = keysByShard().entrySet().iterator().next();
        // The gateway serves eventual reads from replicas whose lag it knows; it learns the lag from the reader
        // a moment after the heartbeat's records are applied, and until then it reads the leader.
        ApiEvents.Response r = null;
        int attempts = 0;
        long until = System.currentTimeMillis() + 8_000;
        do {
            if (attempts++ > 0) {
                sleep(250);
            }
            r = http("GET", "/v1/kv/" + first.getValue() + "?consistency=eventual", null);
            expect(r.status() == 200, "eventual GET answered " + r);
            expect(r.json().path("key").asText().equals(first.getValue()) && r.json().path("value").path("tx").asBoolean(),
                    "eventual GET returned " + r.body() + ", not the transaction's value");
        } while (!String.valueOf(r.header("X-Served-By")).contains("/replica-") && System.currentTimeMillis() < until);
        String by = r.header("X-Served-By");
        expect(by != null && by.startsWith(first.getKey() + "/replica-"), "served by " + by + ", not a replica, for 8 s");
        return "200 served by " + by + ", lag " + r.header("X-Replica-Lag-Ms") + " ms (attempt " + attempts + ")";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private String keys() {
        ApiEvents.Response accented = http("PUT", "/v1/kv/caf%C3%A9", "1");
        expect(accented.status() == 201, "PUT caf%C3%A9 answered " + accented);
        expect(accented.json().path("key").asText().equals("caf\u00e9"), "PUT caf%C3%A9 stored key " + accented.body());
        ApiEvents.Response params = http("PUT", "/v1/kv/m;x=1", "2");
        expect(params.status() == 201 && params.json().path("key").asText().equals("m;x=1"), "PUT m;x=1 answered " + params);
        ApiEvents.Response bad = http("GET", "/v1/kv/%FF", null);
        expect(bad.status() == 400 && String.valueOf(bad.header("Content-Type")).startsWith("application/problem+json"),
                "GET %FF answered " + bad + " " + bad.headers());
        return "caf\u00e9 and m;x=1 stored as sent, %FF 400 problem+json";
    }

    private String transaction() {
        List<Map.Entry<String, String>> two = new ArrayList<>(keysByShard().entrySet()).subList(0, 2);
        ArrayNode ops = JSON.createArrayNode();
        for (var e : two) {
            ops.addObject().put("op", "put").put("key", e.getValue()).put("version", 1).putObject("value").put("tx", true);
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("operations", ops);
        ApiEvents.Response r = http("POST", "/v1/tx", body.toString());
        expect(r.status() == 200 && r.json().path("committed").asBoolean(), "POST /v1/tx answered " + r);
        expect(r.json().path("shards").size() == 2, "the transaction spanned " + r.json().path("shards"));
        for (var e : two) {
            JsonNode item = raw.get(leaderOf(e.getKey()), e.getValue());
            expect(item != null && item.path("version").path("N").asText().equals("2"), "after the transaction "
                    + leaderOf(e.getKey()) + " holds " + item);
        }
        return "committed on " + r.json().path("shards") + " through " + environments.keySet().stream()
                .filter(n -> n.endsWith("-coordinator")).findFirst().orElse("?");
    }

    private String heartbeat() {
        TerraformPlan.Function heartbeat = plan.functions().stream()
                .filter(f -> "heartbeat".equals(f.environment().get("QUARKUS_LAMBDA_HANDLER"))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no heartbeat function in the plan"));
        // The heartbeat beats until shortly before its deadline; a 6 s deadline (not its timeout) keeps the run short.
        ObjectNode event = JSON.createObjectNode().put("version", "0").put("id", "smoke").put("detail-type", "Scheduled Event")
                .put("source", "aws.events").put("account", arn[2]).put("region", arn[1]);
        event.putArray("resources").add("arn:" + arn[0] + ":events:" + arn[1] + ":" + arn[2] + ":rule/" + heartbeat.name());
        event.putObject("detail");
        ExecutionEnvironment.Result result = invoke(heartbeat.name(), "live", event.toString().getBytes(),
                System.currentTimeMillis() + 6_000);
        expect(result.errorType() == null, "the heartbeat failed: " + result.text());
        for (String shard : shards()) {
            expect(raw.get(leaderOf(shard), HEARTBEAT_KEY) != null, "no heartbeat on " + leaderOf(shard));
        }
        int records = deliverStreams();
        for (String shard : shards()) {
            for (String replica : replicasOf(shard)) {
                expect(raw.get(replica, HEARTBEAT_KEY) != null, "no heartbeat replicated to " + replica);
            }
        }
        return result.text() + ", " + records + " stream records replicated";
    }

    private String poison() {
        TerraformPlan.StreamMapping mapping = plan.streams().get(0);
        String shard = shardOfTable(mapping.table());
        String key = keysByShard().get(shard);
        ApiEvents.Response r = http("PUT", "/v1/kv/" + key, "{\"poison\":\"next\"}");
        expect(r.status() == 200, "PUT answered " + r);
        String version = r.json().path("version").asText();
        List<ObjectNode> records = streams.read(mapping.table());
        expect(!records.isEmpty(), "no stream record for the write");
        ObjectNode good = records.get(records.size() - 1);
        ObjectNode poison = good.deepCopy();
        ObjectNode data = (ObjectNode) poison.path("dynamodb");
        data.remove("NewImage"); // what a KEYS_ONLY stream would deliver: no item to apply
        String sequence = good.path("dynamodb").path("SequenceNumber").asText();
        String next = new BigInteger(sequence).add(BigInteger.ONE).toString();
        data.put("SequenceNumber", "0".repeat(Math.max(0, sequence.length() - next.length())) + next);
        ExecutionEnvironment.Result result = invoke(mapping.function(), mapping.qualifier(), streams.event(List.of(good, poison)),
                null);
        expect(result.errorType() == null, "the replicator failed instead of reporting the record: " + result.text());
        JsonNode failures = readJson(result.payload()).path("batchItemFailures");
        expect(failures.size() == 1 && failures.path(0).path("itemIdentifier").asText()
                .equals(data.path("SequenceNumber").asText()), "batch item failures " + failures + ", not the poison record");
        for (String replica : replicasOf(shard)) {
            JsonNode item = raw.get(replica, key);
            expect(item != null && item.path("version").path("N").asText().equals(version),
                    "the good record before the poison was not applied to " + replica + ": " + item);
        }
        return "batchItemFailures " + failures + "; the record before it applied";
    }

    private String everyFunction() {
        List<String> cold = new ArrayList<>();
        for (TerraformPlan.Function f : plan.functions()) {
            if (!environment(f.name()).started()) {
                cold.add(f.name());
                environment(f.name()).start();
            }
        }
        for (TerraformPlan.Function f : plan.functions()) {
            environment(f.name()).awaitStarted();
        }
        return plan.functions().size() + " functions initialized" + (cold.isEmpty() ? "" : " (" + cold.size()
                + " only started, no step invoked them: " + cold + ")");
    }

    private String iam() {
        if (endpoint == null) {
            return "no AWS call made";
        }
        List<String> denied = endpoint.denied();
        if (!denied.isEmpty()) {
            throw new IllegalStateException(denied.size() + " call(s) refused:\n      " + String.join("\n      ", denied));
        }
        return endpoint.checked() + " authorizations checked, none refused";
    }

    // ------------------------------------------------------------------------------------------ plumbing

    private boolean step(String name, String what, java.util.function.Supplier<String> body) {
        long begin = System.nanoTime();
        out.printf("  %-15s %s%n", name, what);
        try {
            String detail = body.get();
            out.printf("  %-15s ok    %s (%d ms)%n", "", detail, (System.nanoTime() - begin) / 1_000_000);
            return true;
        } catch (RuntimeException | AssertionError e) {
            failures.add(name);
            out.printf("  %-15s FAIL  %s (%d ms)%n", "", e.getMessage(), (System.nanoTime() - begin) / 1_000_000);
            environments.values().stream().filter(env -> env.initError() != null).forEach(env ->
                    out.printf("  %-15s       %s%n", "", env.initError().replace("\n", "\n      ")));
            return false;
        }
    }

    private static void expect(boolean condition, String failure) {
        if (!condition) {
            throw new IllegalStateException(failure);
        }
    }

    private ApiEvents.Response http(String method, String target, String body) {
        Map<String, String> headers = body == null ? Map.of() : Map.of("content-type", "application/json");
        byte[] event = api.event(method, target, headers, body);
        TerraformPlan.Function gateway = plan.functions().stream()
                .filter(f -> f.name().equals(topology().gatewayFunction())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no gateway function in the plan"));
        ExecutionEnvironment.Result result = invoke(gateway.name(), "live", event, null);
        expect(result.errorType() == null, method + " " + target + ": the gateway failed: " + result.text());
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

    private ExecutionEnvironment environment(String function) {
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
                return new ExecutionEnvironment(f, taskRoot(f), runtimeLib, lambda,
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
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Delivers every stream's new records to its mapped function, as the event source mapping does. */
    private int deliverStreams() {
        int total = 0;
        for (TerraformPlan.StreamMapping m : plan.streams()) {
            List<ObjectNode> records = streams.read(m.table());
            for (int from = 0; from < records.size(); from += m.batchSize()) {
                List<ObjectNode> batch = records.subList(from, Math.min(records.size(), from + m.batchSize()));
                ExecutionEnvironment.Result result = invoke(m.function(), m.qualifier(), streams.event(batch), null);
                expect(result.errorType() == null, m.function() + " failed: " + result.text());
                JsonNode failures = readJson(result.payload()).path("batchItemFailures");
                expect(failures.isEmpty(), m.function() + " reported failed records " + failures);
                total += batch.size();
            }
        }
        return total;
    }

    private Topology topology() {
        TerraformPlan.Function any = plan.functions().get(0);
        return Topology.parse(any.environment().get("SHARDKV_TOPOLOGY"));
    }

    private List<String> shards() {
        return topology().shards().stream().map(s -> s.id()).toList();
    }

    /** A key in each shard, found by routing candidates with the shard map Terraform seeds. */
    private Map<String, String> keysByShard() {
        ShardMap map = ShardMap.initial(topology());
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; keys.size() < map.shards().size() && i < 10_000; i++) {
            String candidate = (char) ('a' + i % 26) + "smoke" + i;
            keys.putIfAbsent(map.route(candidate).id(), candidate);
        }
        return keys;
    }

    private String leaderOf(String shard) {
        return topology().leaderTable(shard);
    }

    private List<String> replicasOf(String shard) {
        return topology().replicaTables(shard);
    }

    private String shardOfTable(String leaderTable) {
        return shards().stream().filter(s -> leaderOf(s).equals(leaderTable)).findFirst().orElseThrow();
    }

    static JsonNode readJson(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + new String(bytes), e);
        }
    }

    private void printInitTimes() {
        if (environments.isEmpty()) {
            return;
        }
        out.println("  init times (cold start without SnapStart; Lambda's Init Duration):");
        environments.values().stream().sorted(java.util.Comparator.comparing(ExecutionEnvironment::name)).forEach(e -> {
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
