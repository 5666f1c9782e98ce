package dev.shardkv.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./shardkv smoke}: the zips Terraform deploys, run as Lambda runs them, against DynamoDB Local,
 * driven through the same path a request takes on AWS (HTTP API event, gateway, Lambda invoke, leader
 * table, stream, replicator, replicas, reader), and a split through the admin API that the resharder runs
 * (the gateway's asynchronous invoke, the DynamoDB Streams API, the cutover). Prints each step and each
 * function's init time; exits 0 only when every step passed.
 *
 * <pre>
 *   java dev.shardkv.smoke.Smoke [--terraform DIR] [--work DIR]
 * </pre>
 */
public final class Smoke implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The reserved key the heartbeat writes (modules/control). */
    static final String HEARTBEAT_KEY = "__shardkv:heartbeat";
    /** The smoke's topology, a resource beside these classes (src/main/resources). */
    static final String TOPOLOGY = "smoke-topology.json";

    private final Path terraformDir;
    private final Path work;
    private final Path runtimeLib;
    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();
    private Deployment deployment;
    private Steps steps;

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
        Path work = root.resolve("infra/tools/smoke/target/smoke-run");
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
        try (Smoke smoke = new Smoke(terraform, work, root.resolve("infra/tools/smoke/target/lambda-runtime"), System.out)) {
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
                        () -> steps().writes())
                && step("replicate", "leader stream records as a DynamodbEvent -> replicator -> every replica", () -> steps().replicate())
                && step("keys", "keys are the UTF-8 of the raw path: %C3%A9, ';x=1' kept, %FF refused", () -> steps().keys())
                && step("transaction", "a cross-shard transaction -> gateway -> coordinator -> both leaders", () -> steps().transaction())
                && step("heartbeat", "a scheduled event -> heartbeat -> every leader, then replicated", () -> steps().heartbeat())
                && step("read", "eventual read (lag known from the heartbeat): HTTP API event -> gateway -> reader -> a replica", () -> steps().read())
                && step("poison", "a stream record the replicator cannot read -> a batch item failure naming it", () -> steps().poison())
                && step("every function", "each function of the plan started and finished its init", () -> steps().everyFunction())
                && step("split", "POST /v1/admin/splits -> gateway -> async Invoke -> resharder (Streams API, copy, cutover) -> map epoch 2",
                        () -> steps().split())
                && step("replicas", "DELETE then POST /v1/admin/shards/m-s/replicas -> resharder (empty, copy, verify) -> map",
                        () -> steps().replicas());
        // Always report what IAM refused: it explains most failures above.
        ok &= step("iam", "no call was refused by the caller's policy from the plan",
                () -> steps == null ? "no AWS call made" : steps.iam());
        if (deployment != null) {
            deployment.printInitTimes(out);
        }
        out.printf("smoke: %s in %.1f s%n", ok ? "PASSED" : "FAILED (" + String.join(", ", failures) + ")",
                (System.nanoTime() - begin) / 1e9);
        return ok;
    }

    public List<String> failures() {
        return failures;
    }

    // ------------------------------------------------------------------------------------------ steps

    private String plan() {
        Path topology = smokeTopology();
        TerraformPlan plan = TerraformPlan.plan(terraformDir, work.resolve("terraform"),
                Map.of("observability_enabled", "true", "topology_file", topology.toString()));
        deployment = new Deployment(plan, terraformDir, work, runtimeLib);
        return plan.functions().size() + " functions, " + plan.tables().size() + " tables, " + plan.streams().size()
                + " stream mappings, " + plan.routes().size() + " routes; topology " + topology.getFileName()
                + " (staged: " + deployment.topology().staged().stream().map(s -> s.id()).toList() + ")";
    }

    /**
     * The smoke's own topology (the repository's three shards, and the halves of a-l at g staged for the split
     * step), written to the work folder and given to the example as topology_file: the example's own default,
     * the repository's topology.json, stays what users deploy.
     */
    private Path smokeTopology() {
        try (var in = Smoke.class.getResourceAsStream("/" + TOPOLOGY)) {
            if (in == null) {
                throw new IllegalStateException("no " + TOPOLOGY + " on the classpath");
            }
            Path file = Files.createDirectories(work).resolve(TOPOLOGY);
            Files.write(file, in.readAllBytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String endpoints() {
        List<String> missing = EmulatorEndpoints.missing(deployment.plan().resourceTypes(), deployment.plan().endpoints());
        if (!missing.isEmpty()) {
            throw new IllegalStateException(String.join("; ", missing));
        }
        return "services " + EmulatorEndpoints.services(deployment.plan().resourceTypes()) + " all in " + deployment.plan().endpoints();
    }

    private String tables() {
        String started = deployment.start();
        steps = new Steps(deployment);
        return started;
    }

    private Steps steps() {
        if (steps == null) {
            throw new IllegalStateException("no deployment running");
        }
        return steps;
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
            (deployment == null ? List.<ExecutionEnvironment>of() : deployment.environments()).stream()
                    .filter(env -> env.initError() != null).forEach(env ->
                    out.printf("  %-15s       %s%n", "", env.initError().replace("\n", "\n      ")));
            return false;
        }
    }

    static void expect(boolean condition, String failure) {
        if (!condition) {
            throw new IllegalStateException(failure);
        }
    }

    static JsonNode readJson(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + new String(bytes), e);
        }
    }

    @Override
    public void close() {
        if (deployment != null) {
            deployment.close();
        }
    }
}
