package dev.shardkv.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What `terraform plan` says it would deploy, read from `terraform show -json`: the functions (handler,
 * runtime, memory, timeout, environment, inline policy), the tables, the seeded items, the stream
 * mappings, the API routes and the provider's endpoints. Nothing here is typed a second time.
 */
public final class TerraformPlan {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Strips the instance keys of a module address: module.shard["a-l"] is an instance of module.shard. */
    private static final Pattern INSTANCE_KEY = Pattern.compile("\\[[^\\]]*\\]");

    /** A function; {@code zip} is its filename as the plan gives it (relative to the Terraform folder). */
    public record Function(String module, String name, String zip, String handler, String runtime, int memoryMb, int timeoutS,
            Map<String, String> environment, IamPolicy policy) {
    }

    public record Table(String module, String name, String hashKey, boolean stream) {
    }

    public record Item(String table, String itemJson) {
    }

    /** An event source mapping: a table's stream delivered to a function (name and qualifier from its ARN). */
    public record StreamMapping(String function, String qualifier, String table, int batchSize) {
    }

    private final JsonNode root;
    private final List<Function> functions = new ArrayList<>();
    private final List<Table> tables = new ArrayList<>();
    private final List<Item> items = new ArrayList<>();
    private final List<StreamMapping> streams = new ArrayList<>();
    private final List<String> routes = new ArrayList<>();
    private final TreeSet<String> resourceTypes = new TreeSet<>();

    TerraformPlan(JsonNode root) {
        this.root = root;
        Map<String, JsonNode> byAddress = new LinkedHashMap<>();
        collect(root.path("planned_values").path("root_module"), byAddress);
        Map<String, IamPolicy> policies = new LinkedHashMap<>();
        for (JsonNode r : byAddress.values()) {
            resourceTypes.add(r.path("mode").asText() + ":" + r.path("type").asText());
            if (r.path("type").asText().equals("aws_iam_role_policy")) {
                policies.put(module(r), IamPolicy.parse(r.path("values").path("policy").asText()));
            }
        }
        for (JsonNode r : byAddress.values()) {
            JsonNode v = r.path("values");
            switch (r.path("type").asText()) {
                case "aws_lambda_function" -> {
                    Map<String, String> env = new LinkedHashMap<>();
                    v.path("environment").path(0).path("variables").properties()
                            .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
                    functions.add(new Function(module(r), v.path("function_name").asText(), v.path("filename").asText(),
                            v.path("handler").asText(),
                            v.path("runtime").asText(), v.path("memory_size").asInt(), v.path("timeout").asInt(), env,
                            policies.getOrDefault(module(r), IamPolicy.parse("{\"Statement\":[]}"))));
                }
                case "aws_dynamodb_table" -> tables.add(new Table(module(r), v.path("name").asText(),
                        v.path("hash_key").asText(), v.path("stream_enabled").asBoolean()));
                case "aws_dynamodb_table_item" -> items.add(new Item(v.path("table_name").asText(), v.path("item").asText()));
                case "aws_apigatewayv2_route" -> routes.add(v.path("route_key").asText());
                default -> {
                }
            }
        }
        for (JsonNode r : byAddress.values()) {
            if (r.path("type").asText().equals("aws_lambda_event_source_mapping")) {
                streams.add(streamMapping(r));
            }
        }
    }

    /** Runs `terraform init` and `terraform plan` in {@code dir} (state and plugins kept in {@code work}) and reads the plan. */
    public static TerraformPlan plan(Path dir, Path work, Map<String, String> variables) {
        try {
            Files.createDirectories(work);
            Path planFile = work.resolve("smoke.tfplan");
            Map<String, String> env = new LinkedHashMap<>(Map.of("TF_DATA_DIR", work.resolve("tf-data").toString(),
                    "TF_IN_AUTOMATION", "1", "TF_INPUT", "0"));
            String given = System.getenv("TF_CLI_CONFIG_FILE");
            if (given == null || !Files.isRegularFile(Path.of(given))) {
                env.put("TF_CLI_CONFIG_FILE", providerMirror(dir, work));
            }
            run(dir, env, "terraform", "init", "-backend=false", "-input=false", "-no-color");
            List<String> plan = new ArrayList<>(List.of("terraform", "plan", "-refresh=false", "-lock=false", "-input=false",
                    "-no-color", "-state=" + work.resolve("smoke.tfstate"), "-out=" + planFile));
            variables.forEach((k, val) -> plan.add("-var=" + k + "=" + val));
            run(dir, env, plan.toArray(String[]::new));
            String json = run(dir, env, "terraform", "show", "-json", "-no-color", planFile.toString());
            return new TerraformPlan(JSON.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CLI configuration terraform/provider-mirror.sh writes: the provider from a local mirror when there is one. */
    private static String providerMirror(Path dir, Path work) throws IOException {
        Path script = null;
        for (Path at = dir.toAbsolutePath(); at != null && script == null; at = at.getParent()) {
            Path candidate = at.resolve("provider-mirror.sh");
            script = Files.isRegularFile(candidate) ? candidate : null;
        }
        if (script == null) {
            return "";
        }
        run(dir, Map.of(), "bash", "-c", ". \"$0\" && use_provider_mirror \"$1\"", script.toString(), work.toString());
        return work.resolve("terraform.rc").toString();
    }

    public static TerraformPlan read(String showJson) {
        try {
            return new TerraformPlan(JSON.readTree(showJson));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String run(Path dir, Map<String, String> env, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", List.of(command).subList(0, 2)) + " failed in " + dir + ":\n"
                        + new String(out, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted", e);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static void collect(JsonNode module, Map<String, JsonNode> into) {
        for (JsonNode r : module.path("resources")) {
            into.put(r.path("address").asText(), r);
        }
        for (JsonNode child : module.path("child_modules")) {
            collect(child, into);
        }
    }

    /** The module instance a resource lives in ("" at the root). */
    static String module(JsonNode resource) {
        String address = resource.path("address").asText();
        String own = (resource.path("mode").asText().equals("data") ? "data." : "") + resource.path("type").asText() + "."
                + resource.path("name").asText();
        int at = address.lastIndexOf(own);
        return at <= 0 ? "" : address.substring(0, at - 1);
    }

    /** The mapping's table comes from the configuration: event_source_arn refers to a table of the same module. */
    private StreamMapping streamMapping(JsonNode r) {
        String module = module(r);
        JsonNode config = moduleConfig(module);
        String tableRef = null;
        for (JsonNode res : config.path("resources")) {
            if (res.path("address").asText().equals("aws_lambda_event_source_mapping." + r.path("name").asText())) {
                for (JsonNode ref : res.path("expressions").path("event_source_arn").path("references")) {
                    if (ref.asText().startsWith("aws_dynamodb_table.") && ref.asText().split("\\.").length == 2) {
                        tableRef = ref.asText();
                    }
                }
            }
        }
        if (tableRef == null) {
            throw new IllegalStateException("the stream mapping " + r.path("address").asText() + " names no table of its module");
        }
        String tableName = null;
        Map<String, JsonNode> all = new LinkedHashMap<>();
        collect(root.path("planned_values").path("root_module"), all);
        JsonNode table = all.get(module.isEmpty() ? tableRef : module + "." + tableRef);
        if (table != null) {
            tableName = table.path("values").path("name").asText();
        }
        String arn = r.path("values").path("function_name").asText();
        String[] parts = arn.split(":");
        boolean qualified = parts.length == 8;
        String function = arn.startsWith("arn:") ? parts[6] : arn;
        return new StreamMapping(function, qualified ? parts[7] : null, tableName, r.path("values").path("batch_size").asInt(100));
    }

    private JsonNode moduleConfig(String module) {
        JsonNode at = root.path("configuration").path("root_module");
        if (module.isEmpty()) {
            return at;
        }
        for (String part : INSTANCE_KEY.matcher(module).replaceAll("").split("\\.")) {
            if (!part.equals("module")) {
                at = at.path("module_calls").path(part).path("module");
            }
        }
        return at;
    }

    /** The services the provider has an endpoint for (the emulator example names one per service). */
    public TreeSet<String> endpoints() {
        TreeSet<String> names = new TreeSet<>();
        root.path("configuration").path("provider_config").properties().forEach(p -> {
            if (p.getValue().path("name").asText().equals("aws")) {
                p.getValue().path("expressions").path("endpoints").path(0).fieldNames().forEachRemaining(names::add);
            }
        });
        return names;
    }

    /** Every resource and data source type in the plan, as "managed:aws_x" or "data:aws_x". */
    public TreeSet<String> resourceTypes() {
        return resourceTypes;
    }

    public List<Function> functions() {
        return functions;
    }

    public Optional<Function> function(String name) {
        return functions.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public List<Table> tables() {
        return tables;
    }

    public List<Item> items() {
        return items;
    }

    public List<StreamMapping> streams() {
        return streams;
    }

    public List<String> routes() {
        return routes;
    }

    /** Partition, region and account of the deployment, read from the ARNs of its policies. */
    public String[] arnContext() {
        for (Function f : functions) {
            for (String resource : f.policy().resources()) {
                Matcher m = Pattern.compile("^arn:([^:]+):[^:]+:([^:]+):(\\d{12}):").matcher(resource);
                if (m.find()) {
                    return new String[] {m.group(1), m.group(2), m.group(3)};
                }
            }
        }
        throw new IllegalStateException("no policy names a regional ARN; cannot tell the region and account");
    }
}
