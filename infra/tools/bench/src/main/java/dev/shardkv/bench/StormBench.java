package dev.shardkv.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A query storm against the key-value path: a fresh embedded runtime (child process, loopback) holds
 * {@code --items} items; a paced stream of PUTs runs alone, then with {@code --storm} clients asking
 * {@code /v1/query/top?n=1000} as fast as they can. Prints PUT latency side by side, how the queries
 * were answered (complete, partial, 429), peak memory and replication delay, and one top?n=1000 on an idle
 * system.
 */
@Command(name = "storm", mixinStandardHelpOptions = true,
        description = "PUT latency with and without a storm of top?n=1000 queries (admission control at work).")
final class StormBench implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--items", defaultValue = "21000", description = "items loaded (default ${DEFAULT-VALUE})")
    int items;

    @Option(names = "--storm", defaultValue = "20", description = "concurrent query clients (default ${DEFAULT-VALUE})")
    int storm;

    @Option(names = "--puts", defaultValue = "80", description = "PUTs per second, paced (default ${DEFAULT-VALUE})")
    int putsPerSecond;

    @Option(names = "--duration", defaultValue = "20s", converter = DurationConverter.class,
            description = "each phase (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--topology", defaultValue = "topology.json", description = "topology file (default ${DEFAULT-VALUE})")
    Path topology;

    @Option(names = "--runtime", defaultValue = "infra/runtimes/local/target/quarkus-app/quarkus-run.jar",
            description = "the embedded runtime's runner jar (default ${DEFAULT-VALUE})")
    Path runner;

    @Mixin
    JsonOutput json;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();

    @Override
    public void run() {
        try (RuntimeProcess runtime = RuntimeProcess.start(runner, topology,
                List.of("-Dshardkv.replication.delay-window=" + duration.toSeconds() + "s"))) {
            URI base = runtime.base();
            load(base);
            PrintStream out = json.progress();
            ObjectNode figures = json.object().put("items", items).put("putsPerS", putsPerSecond)
                    .put("phaseMs", duration.toMillis()).put("stormClients", storm);
            out.printf("storm: %d items (keys over a-z), PUTs paced at %d/s for %s per phase, %d query clients "
                    + "asking top?n=1000 in the storm phase%n", items, putsPerSecond, duration, storm);

            Stats idle = new Stats();
            long partialIdle = 0;
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                HttpResponse<String> r = get(base, "/v1/query/top?field=score&n=1000");
                idle.recordMicros((System.nanoTime() - start) / 1_000);
                JsonNode answer = JSON.readTree(r.body());
                partialIdle += r.statusCode() != 200 || answer.get("partial").asBoolean()
                        || answer.get("items").size() != 1000 ? 1 : 0;
            }
            out.printf("  one top?n=1000 at a time, idle: %s; incomplete answers: %d of 5 (default deadline 2000 ms)%n",
                    idle.millis(), partialIdle);
            idle.json(figures.putObject("idleTop")).put("incomplete", partialIdle);

            Stats quiet = puts(base, duration);
            out.printf("  PUTs alone:          %s%n", quiet.millis());
            quiet.json(figures.putObject("putsAlone"));

            Storm s = new Storm(base);
            Stats stormy;
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> running = new ArrayList<>();
                long end = System.nanoTime() + duration.toNanos();
                for (int c = 0; c < storm; c++) {
                    running.add(clients.submit(() -> s.until(end)));
                }
                stormy = puts(base, duration);
                for (Future<?> f : running) {
                    f.get(60, TimeUnit.SECONDS);
                }
            }
            double p99VsAlone = stormy.percentileMillis(99) / Math.max(0.001, quiet.percentileMillis(99));
            out.printf("  PUTs in the storm:   %s (p99 %.1fx of alone)%n", stormy.millis(), p99VsAlone);
            stormy.json(figures.putObject("putsInStorm")).put("p99VsAlone", JsonOutput.round(p99VsAlone));
            out.printf("  queries: %d complete, %d partial, %d refused with 429 (Retry-After), %d other; "
                            + "latency of answered: %s%n", s.complete.sum(), s.partial.sum(), s.refused.sum(),
                    s.other.sum(), s.latency.millis());
            ObjectNode queries = figures.putObject("queries").put("complete", s.complete.sum()).put("partial", s.partial.sum())
                    .put("refused", s.refused.sum()).put("other", s.other.sum());
            s.latency.json(queries.putObject("latency"));
            JsonNode replication = JSON.readTree(get(base, "/v1/replication").body());
            long worstP99 = 0;
            for (JsonNode shard : replication.get("shards")) {
                for (JsonNode replica : shard.get("replicas")) {
                    worstP99 = Math.max(worstP99, replica.get("delay").get("p99").asLong());
                }
            }
            long peakRssMiB = runtime.peakRssKb() / 1024;
            out.printf("  replication delay p99 (worst replica, storm phase): %d ms; runtime peak resident memory: %d MiB%n",
                    worstP99, peakRssMiB);
            figures.put("lagP99Ms", worstP99).put("peakRssMiB", peakRssMiB);
            if (json.on) {
                json.print(figures);
            }
        } catch (Exception e) {
            throw new IllegalStateException("benchmark failed", e);
        }
    }

    /** Many query clients, each asking again as soon as answered (after Retry-After when refused). */
    private final class Storm {
        final URI base;
        final LongAdder complete = new LongAdder();
        final LongAdder partial = new LongAdder();
        final LongAdder refused = new LongAdder();
        final LongAdder other = new LongAdder();
        final Stats latency = new Stats();

        Storm(URI base) {
            this.base = base;
        }

        Void until(long end) throws Exception {
            while (System.nanoTime() < end) {
                long start = System.nanoTime();
                HttpResponse<String> r = get(base, "/v1/query/top?field=score&n=1000");
                if (r.statusCode() == 429) {
                    refused.increment();
                    long retryAfter = r.headers().firstValueAsLong("Retry-After").orElse(1);
                    Thread.sleep(Math.min(retryAfter * 1000, Math.max(0, (end - System.nanoTime()) / 1_000_000)));
                    continue;
                }
                latency.recordMicros((System.nanoTime() - start) / 1_000);
                if (r.statusCode() != 200) {
                    other.increment();
                } else if (JSON.readTree(r.body()).get("partial").asBoolean()) {
                    partial.increment();
                } else {
                    complete.increment();
                }
            }
            return null;
        }
    }

    /** PUTs at a fixed rate on the wall clock (so a slow answer does not lower the offered load), latency of each. */
    private Stats puts(URI base, Duration d) throws InterruptedException {
        Stats stats = new Stats();
        AtomicLong n = new AtomicLong();
        Semaphore inFlight = new Semaphore(64);
        long start = System.nanoTime();
        long end = start + d.toNanos();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0; ; i++) {
                long due = start + (long) (i * 1e9 / putsPerSecond);
                if (due >= end) {
                    break;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                inFlight.acquire();
                long k = n.incrementAndGet();
                pool.submit(() -> {
                    try {
                        long t0 = System.nanoTime();
                        int status = put(base, (char) ('a' + k % 26) + "-storm-put-" + (k % 500), "{\"score\":" + k + "}");
                        if (status < 300) {
                            stats.recordMicros((System.nanoTime() - t0) / 1_000);
                        }
                    } catch (IOException | InterruptedException e) {
                        // counted by its absence
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        return stats;
    }

    private void load(URI base) throws Exception {
        Semaphore inFlight = new Semaphore(16);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < items; i++) {
                int k = i;
                inFlight.acquire();
                pool.submit(() -> {
                    try {
                        // as a client should: a write refused for replica lag (429) is sent again after Retry-After
                        while (put(base, (char) ('a' + k % 26) + "-user-" + k,
                                "{\"score\":" + (k * 7919 % 100_000) + ",\"name\":\"someone\",\"plan\":\"gold\"}") == 429) {
                            Thread.sleep(1_000);
                        }
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        inFlight.release();
                    }
                    return null;
                });
            }
        }
        // Replicas caught up: the eventual queries of the storm see every item.
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            long strong = JSON.readTree(get(base, "/v1/query/count?consistency=strong&timeoutMs=30000").body()).get("count").asLong();
            long eventual = JSON.readTree(get(base, "/v1/query/count?timeoutMs=30000").body()).get("count").asLong();
            if (strong == items && eventual == items) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("replicas did not converge on " + items + " items within 120 s: "
                + get(base, "/v1/query/count?consistency=strong&timeoutMs=30000").body());
    }

    private int put(URI base, String key, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve("/v1/kv/" + key)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
