package dev.shardkv.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The real deployment, locally: starts Floci (default, no token) or LocalStack (with
 * {@code LOCALSTACK_AUTH_TOKEN} and {@code -Dshardkv.e2e.emulator=localstack}) in Docker, applies
 * {@code terraform/examples/localstack} to it, and drives the REST API through the emulator's
 * HTTP API: write, strong read from the leader, eventual read converging on a replica, delete.
 *
 * <p>Skipped, with the reason, when Docker is absent ({@code disabledWithoutDocker}), when no
 * {@code terraform} binary is on the PATH, or when the function zips are not built
 * ({@code ./mvnw package}).
 */
@Testcontainers(disabledWithoutDocker = true)
@Tag("e2e")
class EmulatorEndToEndTest {

    static {
        // The emulators route HTTP APIs by virtual host; Host is a restricted header otherwise.
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    private static final String FLOCI_IMAGE = "floci/floci:latest";
    private static final String LOCALSTACK_IMAGE = "localstack/localstack-pro:latest";
    private static final int PORT = 4566;
    private static final String API_HOST_SUFFIX = ".execute-api.localhost.localstack.cloud:" + PORT;
    private static final Duration COLD_START = Duration.ofMinutes(4);
    private static final Duration REPLICATION = Duration.ofSeconds(90);

    private static Network network;
    private static GenericContainer<?> emulator;
    private static Path work;
    private static Path exampleDir;
    private static Path logDir;
    private static List<String> terraformVars;
    private static String apiHost;
    private static URI endpoint;
    private static final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    @BeforeAll
    static void deploy() throws Exception {
        Path repo = Path.of(System.getProperty("shardkv.repo.root", "..")).toAbsolutePath().normalize();
        Path gatewayZip = repo.resolve("functions/gateway/target/function.zip");
        Path shardZip = repo.resolve("functions/shard/target/function.zip");
        assumeTrue(Files.isRegularFile(gatewayZip) && Files.isRegularFile(shardZip),
                "function zips missing (" + repo.relativize(gatewayZip) + ", " + repo.relativize(shardZip)
                        + "): build them first with ./mvnw -B package -DskipTests");
        assumeTrue(terraformAvailable(), "no terraform binary on PATH");

        String wanted = System.getProperty("shardkv.e2e.emulator",
                System.getenv().getOrDefault("SHARDKV_E2E_EMULATOR", "floci")).toLowerCase(Locale.ROOT);
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        boolean localstack = wanted.equals("localstack");
        assumeTrue(!localstack || (token != null && !token.isBlank()),
                "LocalStack was asked for but LOCALSTACK_AUTH_TOKEN is not set (Floci needs no token)");

        logDir = Path.of("target", "e2e").toAbsolutePath();
        Files.createDirectories(logDir);

        network = Network.newNetwork();
        String networkName = DockerClientFactory.instance().client()
                .inspectNetworkCmd().withNetworkId(network.getId()).exec().getName();
        String dockerSocket = DockerClientFactory.instance().getRemoteDockerUnixSocketPath();
        String alias = localstack ? "localstack" : "floci";

        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(
                localstack ? System.getProperty("shardkv.e2e.localstack.image", LOCALSTACK_IMAGE)
                        : System.getProperty("shardkv.e2e.floci.image", FLOCI_IMAGE)))
                .withNetwork(network)
                .withNetworkAliases(alias)
                .withExposedPorts(PORT)
                .withFileSystemBind(dockerSocket, "/var/run/docker.sock")
                .waitingFor(Wait.forHttp("/_localstack/health").forPort(PORT).forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(3)));
        if (localstack) {
            container.withEnv("LOCALSTACK_AUTH_TOKEN", token)
                    .withEnv("LAMBDA_DOCKER_NETWORK", networkName)
                    .withEnv("LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT", "120");
        } else {
            container.withEnv("FLOCI_DEFAULT_REGION", "us-east-1")
                    .withEnv("FLOCI_SERVICES_LAMBDA_DOCKER_NETWORK", networkName)
                    .withEnv("FLOCI_SERVICES_LAMBDA_POLL_INTERVAL_MS", "250")
                    // The Docker socket is root's.
                    .withCreateContainerCmdModifier(cmd -> cmd.withUser("root"));
        }
        emulator = container;
        emulator.start();
        endpoint = URI.create("http://" + emulator.getHost() + ":" + emulator.getMappedPort(PORT));

        // Terraform runs on a copy, so the checkout gets no state and no .terraform folders.
        work = Files.createTempDirectory("shardkv-e2e");
        copyTree(repo.resolve("terraform"), work.resolve("terraform"));
        Files.copy(repo.resolve("topology.json"), work.resolve("topology.json"));
        for (String fn : List.of("gateway", "shard")) {
            Path target = work.resolve("functions/" + fn + "/target/function.zip");
            Files.createDirectories(target.getParent());
            Files.copy(repo.resolve("functions/" + fn + "/target/function.zip"), target);
        }
        exampleDir = work.resolve("terraform/examples/localstack");

        terraformVars = new ArrayList<>(List.of("-var", "endpoint=" + endpoint));
        if (!localstack) {
            // Functions run in their own containers on the same network and reach Floci by alias.
            terraformVars.addAll(List.of("-var", "function_aws_endpoint_url=http://" + alias + ":" + PORT));
        }

        terraform("init", Duration.ofMinutes(5), List.of("init", "-input=false", "-no-color"));
        List<String> apply = new ArrayList<>(List.of("apply", "-auto-approve", "-input=false", "-no-color"));
        apply.addAll(terraformVars);
        terraform("apply", Duration.ofMinutes(20), apply);
        String apiId = terraform("output", Duration.ofMinutes(1), List.of("output", "-raw", "api_id")).strip();
        apiHost = apiId + API_HOST_SUFFIX;
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (exampleDir != null && emulator != null && emulator.isRunning()) {
                // Deleting the functions also stops the emulator's Lambda containers.
                List<String> destroy = new ArrayList<>(List.of("destroy", "-auto-approve", "-input=false", "-no-color"));
                destroy.addAll(terraformVars);
                try {
                    terraform("destroy", Duration.ofMinutes(10), destroy);
                } catch (AssertionError | Exception e) {
                    System.err.println("terraform destroy failed (the emulator is stopped anyway): " + e.getMessage());
                }
            }
        } finally {
            if (emulator != null) {
                emulator.stop();
            }
            if (network != null) {
                network.close();
            }
            if (work != null) {
                deleteTree(work);
            }
        }
    }

    @Test
    void writeStrongReadReplicateDelete() throws Exception {
        // Lower-case 'e': the a-l shard.
        String key = "e2e-" + UUID.randomUUID();
        String path = "/v1/kv/" + key;

        // Cold starts (JVM functions in fresh emulator containers) can exceed the API's timeout:
        // wait until the gateway and the writer answer, before the write that must be a 201.
        HttpResponse<String> missing = awaitAnswer("GET", path + "?consistency=strong", null, COLD_START);
        assertEquals(404, missing.statusCode(), describe("strong read of a missing key", missing));

        HttpResponse<String> put = send("PUT", path, "{\"name\":\"Alice\",\"n\":1}");
        assertEquals(201, put.statusCode(), describe("PUT of a new key", put));

        HttpResponse<String> strong = send("GET", path + "?consistency=strong", null);
        assertEquals(200, strong.statusCode(), describe("strong read", strong));
        assertTrue(strong.body().contains("\"Alice\""), describe("strong read returns the value", strong));
        assertTrue(servedBy(strong).endsWith("/leader"), describe("strong read is served by the leader", strong));

        // Eventual reads go to a replica; it converges within a bounded wait.
        Instant deadline = Instant.now().plus(REPLICATION);
        HttpResponse<String> eventual;
        do {
            eventual = awaitAnswer("GET", path, null, COLD_START);
            if (eventual.statusCode() == 200 && servedBy(eventual).matches(".+/replica-\\d+")
                    && eventual.body().contains("\"Alice\"")) {
                break;
            }
            Thread.sleep(500);
        } while (Instant.now().isBefore(deadline));
        assertEquals(200, eventual.statusCode(), describe("eventual read converges within " + REPLICATION, eventual));
        assertTrue(servedBy(eventual).matches(".+/replica-\\d+"),
                describe("eventual read is served by a replica", eventual));
        assertTrue(eventual.body().contains("\"Alice\""), describe("the replica holds the value", eventual));

        HttpResponse<String> delete = send("DELETE", path, null);
        assertEquals(204, delete.statusCode(), describe("DELETE", delete));

        HttpResponse<String> gone = send("GET", path + "?consistency=strong", null);
        assertEquals(404, gone.statusCode(), describe("strong read after DELETE", gone));
    }

    // --- HTTP ---------------------------------------------------------------------------------

    private static HttpResponse<String> send(String method, String pathAndQuery, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(pathAndQuery))
                .header("Host", apiHost)
                .timeout(Duration.ofSeconds(60));
        if (json != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Retries while the emulator answers 5xx or times out (cold starts), up to the deadline. */
    private static HttpResponse<String> awaitAnswer(String method, String pathAndQuery, String json, Duration within)
            throws Exception {
        Instant deadline = Instant.now().plus(within);
        Exception last = null;
        HttpResponse<String> response = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                response = send(method, pathAndQuery, json);
                if (response.statusCode() < 500) {
                    return response;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(2000);
        }
        if (response != null) {
            return response;
        }
        throw new AssertionError(method + " " + pathAndQuery + " never answered within " + within, last);
    }

    private static String servedBy(HttpResponse<String> response) {
        return response.headers().firstValue("X-Served-By").orElse("");
    }

    private static String describe(String what, HttpResponse<String> response) {
        return what + ": " + response.request().method() + " " + response.uri() + " -> " + response.statusCode()
                + " X-Served-By=" + servedBy(response) + " body=" + response.body();
    }

    // --- terraform ----------------------------------------------------------------------------

    private static boolean terraformAvailable() {
        try {
            Process p = new ProcessBuilder("terraform", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs terraform in the example folder; returns stdout, fails the test with the log tail on error. */
    private static String terraform(String label, Duration timeout, List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("terraform");
        command.addAll(args);
        Path out = logDir.resolve("terraform-" + label + ".log");
        Path err = logDir.resolve("terraform-" + label + ".err.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(exampleDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        env.put("TF_IN_AUTOMATION", "1");
        env.put("TF_INPUT", "0");
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("terraform " + label + " did not finish within " + timeout + "; see " + out);
        }
        String stdout = Files.readString(out);
        if (process.exitValue() != 0) {
            fail("terraform " + label + " failed (exit " + process.exitValue() + "):\n"
                    + tail(Files.readString(err) + "\n" + stdout, 60));
        }
        return stdout;
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", Arrays.copyOfRange(all, from, all.length));
    }

    // --- files --------------------------------------------------------------------------------

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.getFileName().toString().equals(".terraform")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String name = file.getFileName().toString();
                if (!name.endsWith(".tfstate") && !name.endsWith(".tfstate.backup")) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
