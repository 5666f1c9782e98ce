package dev.shardkv.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What our HTTP stack costs per request: one runtime, started with its bare Vert.x route on (/bench/bare, BareRoute),
 * and wrk GETting one key through the API (Quarkus REST, Jackson, the gateway's eventual read) and then the very same
 * answer bytes from the bare route, alternately (api, bare, api, bare) so that drift shows. Beside throughput and
 * latency it reads the runtime's CPU time around each phase: wrk shares the machine's cores, so requests/s alone
 * mixes the client's cost in; CPU per request is the server's own.
 */
@Command(name = "http", mixinStandardHelpOptions = true,
        description = "GET one key through the API, then the same bytes from a bare Vert.x route, in one runtime; compare.")
final class HttpBench implements Runnable {
    static final String KEY = "h-bench-http";
    static final String BARE = "/bench/bare";
    static final int ROUNDS = 2;
    static final Duration IDLE = Duration.ofSeconds(5);

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class, description = "measured time per phase (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class, description = "warm-up before each phase (default ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--concurrency", defaultValue = "8", description = "wrk connections, as load's (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--topology", defaultValue = "topology.json", description = "topology file (default ${DEFAULT-VALUE})")
    Path topology;

    @Option(names = "--runtime", defaultValue = "infra/runtimes/local/target/quarkus-app/quarkus-run.jar",
            description = "the embedded runtime's runner jar (default ${DEFAULT-VALUE})")
    Path runner;

    @Option(names = "--json", description = "print one JSON object (the figures and the command line) instead of text")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One measured phase: which route, its wrk figures, and the runtime's CPU time during it. */
    record Measured(String target, int round, Driver.Phase phase, long cpuNanos) {
        long requests() {
            return phase.reads() + phase.errors();
        }

        double cpuMicrosPerRequest() {
            return cpuNanos / 1e3 / Math.max(1, requests());
        }
    }

    /** The answer the bare route serves: the API's own bytes for the key. */
    record Answer(byte[] body, String contentType) {
    }

    @Override
    public void run() {
        try (RuntimeProcess runtime = RuntimeProcess.start(runner, topology, List.of("-Dshardkv.bench.bare-route=true"))) {
            URI base = runtime.base();
            Answer answer = prepare(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), base);
            Wrk api = Wrk.get(base, concurrency, "/v1/kv/" + KEY, "http-api");
            Wrk bare = Wrk.get(base, concurrency, BARE, "http-bare");
            List<Measured> phases = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                phases.add(measure(runtime, api, "api", round));
                phases.add(measure(runtime, bare, "bare", round));
            }
            // The runtime's own background work (heartbeats, stream polls), to tell apart from what requests cost;
            // measured last, once the JIT has settled (just after the start it compiles for seconds).
            long idleStart = runtime.cpuNanos();
            long idleClock = System.nanoTime();
            Thread.sleep(IDLE.toMillis());
            double idleCpuNanosPerS = (runtime.cpuNanos() - idleStart) / ((System.nanoTime() - idleClock) / 1e9);
            HttpReport report = new HttpReport(this, answer, idleCpuNanosPerS, phases);
            System.out.println(json ? report.json(command()) : report.text());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("benchmark failed", e);
        }
    }

    private Measured measure(RuntimeProcess runtime, Wrk wrk, String target, int round)
            throws IOException, InterruptedException {
        wrk.run(warmup);
        long before = runtime.cpuNanos();
        Driver.Phase phase = wrk.run(duration);
        return new Measured(target, round, phase, runtime.cpuNanos() - before);
    }

    /** Writes the key as load does, reads it back once (eventual, so once a replica has it) and gives the bare route those bytes. */
    private static Answer prepare(HttpClient http, URI base) throws IOException, InterruptedException {
        int status = http.send(HttpRequest.newBuilder(base.resolve("/v1/kv/" + KEY))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"n\":0,\"pad\":\"0123456789abcdef0123456789abcdef\"}"))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status >= 300) {
            throw new IllegalStateException("PUT /v1/kv/" + KEY + " answered " + status);
        }
        HttpResponse<byte[]> read = null;
        for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; Thread.sleep(50)) {
            read = http.send(HttpRequest.newBuilder(base.resolve("/v1/kv/" + KEY)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (read.statusCode() == 200) {
                break;
            }
        }
        if (read == null || read.statusCode() != 200) {
            throw new IllegalStateException("GET /v1/kv/" + KEY + " did not answer 200 within 10 s");
        }
        Answer answer = new Answer(read.body(), read.headers().firstValue("Content-Type").orElse("application/octet-stream"));
        http.send(HttpRequest.newBuilder(base.resolve(BARE)).header("Content-Type", answer.contentType())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(answer.body())).build(), HttpResponse.BodyHandlers.discarding());
        // Both phases must answer the same bytes, or the comparison says nothing.
        HttpResponse<byte[]> check = http.send(HttpRequest.newBuilder(base.resolve(BARE)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (check.statusCode() != 200 || !Arrays.equals(check.body(), answer.body())
                || !answer.contentType().equals(check.headers().firstValue("Content-Type").orElse(""))) {
            throw new IllegalStateException("GET " + BARE + " answered " + check.statusCode()
                    + " without the API's bytes: is the runner jar built from this tree (BareRoute)?");
        }
        return answer;
    }

    /** The command line that ran this benchmark, as a user would type it (as LoadBench builds it). */
    private List<String> command() {
        List<String> command = new ArrayList<>(List.of("./shardkv", "bench"));
        command.addAll(spec.commandLine().getParseResult().originalArgs());
        return command;
    }
}
