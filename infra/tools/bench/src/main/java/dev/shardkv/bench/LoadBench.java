package dev.shardkv.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardkv.core.topology.Topology;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Drives a fresh embedded runtime (the real server, started as a child process on a free loopback
 * port) for a fixed time at a fixed concurrency and read/write mix, then measures raw DynamoDB Local
 * (PutItem/GetItem on one table, same threads, same mix, same time) and the system's own DynamoDB
 * operations issued directly ({@link SystemOpsBaseline}) in the same run, and prints
 * throughput, latency, replication delay, the DynamoDB-operations ratio and the runtime's peak memory.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Load the embedded runtime over HTTP, then raw DynamoDB Local, and compare.")
final class LoadBench implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class, description = "measured time per phase (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class, description = "warm-up before measuring (default ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--concurrency", defaultValue = "8", description = "client threads (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--read-ratio", defaultValue = "0.8", description = "share of eventual reads (default ${DEFAULT-VALUE})")
    volatile double readRatio;

    @Option(names = "--rate", defaultValue = "0",
            description = "requests/s in total, paced (0: as fast as possible). 1000 at read-ratio 0.8 = 200 writes/s")
    int rate;

    @Option(names = "--keys", defaultValue = "1000", description = "key space (default ${DEFAULT-VALUE})")
    int keys;

    @Option(names = "--topology", defaultValue = "topology.json", description = "topology file (default ${DEFAULT-VALUE})")
    Path topology;

    @Option(names = "--runtime", defaultValue = "infra/runtimes/local/target/quarkus-app/quarkus-run.jar",
            description = "the embedded runtime's runner jar (default ${DEFAULT-VALUE})")
    Path runner;

    @picocli.CommandLine.Mixin
    JsonOutput json;

    @Option(names = "--skip-baseline", description = "do not measure raw DynamoDB Local")
    boolean skipBaseline;

    @Option(names = "--client", defaultValue = "auto",
            description = "load generator: wrk (C, light on the CPU the server needs), java (JDK HttpClient), "
                    + "auto = wrk when on the PATH (default ${DEFAULT-VALUE})")
    String client;

    @Option(names = "--hot-shard", description = "every key on one shard (t-z of the default topology): keys t-bench-N")
    boolean hotShard;

    @Option(names = "--write-throttle-lag", converter = DurationConverter.class,
            description = "the runtime's shardkv.replication.write-throttle-lag (0s: off; default: the runtime's default)")
    Duration writeThrottleLag;

    @Option(names = "--function-slots",
            description = "the runtime's shardkv.function-slots (default: the runtime's default, one per processor)")
    Integer functionSlots;

    @Option(names = "--in-process", description = "drive the gateway core in this JVM instead of the server over HTTP "
            + "(shows what HTTP costs)")
    boolean inProcess;

    private Driver driver;

    /** The one driver of this run (made once the options are parsed). */
    private Driver driver() {
        if (driver == null) {
            driver = new Driver(concurrency, rate);
        }
        return driver;
    }

    @Override
    public void run() {
        try {
            Topology t = Topology.load(topology);
            double replicas = t.shards().stream().mapToInt(s -> s.replicas()).average().orElse(0);
            String[] keySpace = keySpace();
            if (inProcess) {
                runInProcess(t, replicas, keySpace);
                return;
            }
            Driver.Phase system;
            long peakRssKb;
            JsonNode replication;
            try (RuntimeProcess runtime = RuntimeProcess.start(runner, topology, runtimeSettings())) {
                URI base = runtime.base();
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
                for (String key : keySpace) {
                    put(http, base, key, 0);
                }
                if (useWrk()) {
                    Wrk wrk = new Wrk(base, concurrency, readRatio, rate, keySpace, hotShard ? "t" : "");
                    wrk.run(warmup);
                    system = wrk.run(duration);
                } else {
                    driver().drive(warmup, i -> { }, (worker, n) -> request(http, base, keySpace, null));
                    system = driver().measure(duration, (worker, n, stats) -> request(http, base, keySpace, stats));
                }
                replication = JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/v1/replication")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                peakRssKb = runtime.peakRssKb();
            }
            Driver.Phase raw = skipBaseline ? null : new RawBaseline(driver(), warmup, duration, keySpace()).measure(1 - readRatio);
            Driver.Phase rawAtSystemMix = skipBaseline ? null
                    : new RawBaseline(driver(), warmup, duration, keySpace()).measure(LoadReport.systemWriteShare(system, replicas));
            SystemOpsBaseline.Result rawSystem = skipBaseline ? null
                    : new SystemOpsBaseline(driver(), warmup, duration, keySpace(), t).measure(readRatio, replicas);
            if (json.on) {
                json.print(LoadReport.json(json.object(), replicas, system, replication, peakRssKb, raw, rawAtSystemMix, rawSystem));
            } else {
                LoadReport.print(this, t, replicas, system, replication, peakRssKb, raw, rawAtSystemMix, rawSystem);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("benchmark failed", e);
        }
    }

    // --- the embedded runtime, over HTTP ---

    /** The runtime's settings for this run: the delay window spans the measured phase, so /v1/replication reports its percentiles. */
    private List<String> runtimeSettings() {
        List<String> settings = new ArrayList<>(List.of("-Dshardkv.replication.delay-window=" + duration.toSeconds() + "s"));
        if (writeThrottleLag != null) {
            settings.add("-Dshardkv.replication.write-throttle-lag=" + writeThrottleLag.toMillis() + "ms");
        }
        if (functionSlots != null) {
            settings.add("-Dshardkv.function-slots=" + functionSlots);
        }
        return settings;
    }

    private void request(HttpClient http, URI base, String[] keySpace, Stats stats) {
        String key = keySpace[ThreadLocalRandom.current().nextInt(keySpace.length)];
        boolean read = ThreadLocalRandom.current().nextDouble() < readRatio;
        long start = System.nanoTime();
        try {
            int status = read
                    ? http.send(HttpRequest.newBuilder(base.resolve("/v1/kv/" + key)).GET().build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode()
                    : put(http, base, key, ThreadLocalRandom.current().nextInt());
            if (stats != null) {
                stats.recordMicros((System.nanoTime() - start) / 1_000);
                if (status == 429) {
                    driver().throttled.increment();
                } else if (status >= 400) {
                    driver().errors.increment();
                } else if (read) {
                    driver().reads.increment();
                } else {
                    driver().writes.increment();
                }
            }
        } catch (IOException e) {
            driver().errors.increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int put(HttpClient http, URI base, String key, int n) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve("/v1/kv/" + key))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"n\":" + n + ",\"pad\":\"0123456789abcdef0123456789abcdef\"}"))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void runInProcess(Topology t, double replicas, String[] keySpace) {
        var settings = dev.shardkv.embedded.EmbeddedCluster.Settings.defaults(t);
        settings = new dev.shardkv.embedded.EmbeddedCluster.Settings(t, null, null, settings.pump(),
                settings.heartbeatInterval(), settings.unknownAfter(), duration, settings.tombstoneTtl());
        try (var cluster = dev.shardkv.embedded.EmbeddedCluster.start(settings)) {
            var gateway = cluster.gateway();
            for (String key : keySpace) {
                gateway.put(key, "{\"n\":0}", dev.shardkv.core.kv.Precondition.NONE,
                        dev.shardkv.core.consistency.ConsistencyToken.EMPTY);
            }
            Driver.MeasuredWork work = (worker, n, stats) -> {
                String key = keySpace[ThreadLocalRandom.current().nextInt(keySpace.length)];
                boolean read = ThreadLocalRandom.current().nextDouble() < readRatio;
                long start = System.nanoTime();
                if (read) {
                    gateway.get(key, dev.shardkv.core.gateway.ReadOptions.EVENTUAL);
                } else {
                    gateway.put(key, "{\"n\":" + n + ",\"pad\":\"0123456789abcdef0123456789abcdef\"}",
                            dev.shardkv.core.kv.Precondition.NONE, dev.shardkv.core.consistency.ConsistencyToken.EMPTY);
                }
                if (stats != null) {
                    stats.recordMicros((System.nanoTime() - start) / 1_000);
                    (read ? driver().reads : driver().writes).increment();
                }
            };
            driver().drive(warmup, i -> { }, (worker, n) -> work.run(worker, n, null));
            Driver.Phase system = driver().measure(duration, work);
            com.fasterxml.jackson.databind.node.ObjectNode replication = JSON.createObjectNode();
            var shards = replication.putArray("shards");
            for (var shard : cluster.shardMap().shards()) {
                var s = shards.addObject().put("shard", shard.id());
                var rs = s.putArray("replicas");
                for (int r = 1; r <= shard.replicaCount(); r++) {
                    var status = cluster.tracker().status(shard.id(), r);
                    rs.addObject().put("replica", r).put("name", "replica-" + r).putObject("delay").put("p50", status.p50())
                            .put("p90", status.p90()).put("p99", status.p99()).put("max", status.max())
                            .put("samples", status.samples());
                }
            }
            long peakRssKb = LoadReport.peakRssKb(ProcessHandle.current().pid());
            Driver.Phase raw = skipBaseline ? null : new RawBaseline(driver(), warmup, duration, keySpace()).measure(1 - readRatio);
            Driver.Phase rawAtSystemMix = skipBaseline ? null
                    : new RawBaseline(driver(), warmup, duration, keySpace()).measure(LoadReport.systemWriteShare(system, replicas));
            SystemOpsBaseline.Result rawSystem = skipBaseline ? null
                    : new SystemOpsBaseline(driver(), warmup, duration, keySpace(), t).measure(readRatio, replicas);
            if (json.on) {
                json.print(LoadReport.json(json.object(), replicas, system, replication, peakRssKb, raw, rawAtSystemMix, rawSystem));
            } else {
                System.out.println("(in-process: the gateway core driven directly, no HTTP, in the benchmark's JVM)");
                LoadReport.print(this, t, replicas, system, replication, peakRssKb, raw, rawAtSystemMix, rawSystem);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean useWrk() {
        if (client.equals("java")) {
            return false;
        }
        boolean found = java.util.Arrays.stream(System.getenv("PATH").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "wrk")));
        if (!found && client.equals("wrk")) {
            throw new IllegalStateException("no wrk on the PATH (apt-get install wrk), or use --client java");
        }
        return found;
    }

    private String[] keySpace() {
        String[] keySpace = new String[keys];
        for (int i = 0; i < keys; i++) {
            // spread over every range shard, or all on t-z
            keySpace[i] = (hotShard ? "t" : String.valueOf((char) ('a' + i % 26))) + "-bench-" + i;
        }
        return keySpace;
    }


}
