package dev.shardkv.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.dynamodb.ItemAttributes;
import dev.shardkv.dynamodb.TableProvisioner;
import dev.shardkv.embedded.DynamoDbLocal;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Drives a fresh embedded runtime (the real server, started as a child process on a free loopback
 * port) for a fixed time at a fixed concurrency and read/write mix, then measures raw DynamoDB Local
 * (PutItem/GetItem on one table, same threads, same mix, same time) in the same run, and prints
 * throughput, latency, replication lag, the DynamoDB-operations ratio and the runtime's peak memory.
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

    @Option(names = "--runtime", defaultValue = "infra/local/target/quarkus-app/quarkus-run.jar",
            description = "the embedded runtime's runner jar (default ${DEFAULT-VALUE})")
    Path runner;

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

    /** @param throttled writes refused with 429 by the write throttle (not errors: the system pushing back) */
    record Phase(long reads, long writes, long throttled, long errors, double seconds, Stats latency) {
        double perSecond(long n) {
            return n / seconds;
        }
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
            Phase system;
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
                    drive(warmup, i -> { }, (worker, n) -> request(http, base, keySpace, null));
                    system = measure(duration, (worker, n, stats) -> request(http, base, keySpace, stats));
                }
                replication = JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/v1/replication")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                peakRssKb = runtime.peakRssKb();
            }
            report(t, replicas, system, replication, peakRssKb, skipBaseline ? null : baseline(1 - readRatio),
                    skipBaseline ? null : baseline(systemWriteShare(system, replicas)));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("benchmark failed", e);
        }
    }

    // --- the embedded runtime, over HTTP ---

    /** The runtime's settings for this run: the lag window spans the measured phase, so /v1/replication reports its percentiles. */
    private List<String> runtimeSettings() {
        List<String> settings = new ArrayList<>(List.of("-Dshardkv.replication.lag-window=" + duration.toSeconds() + "s"));
        if (writeThrottleLag != null) {
            settings.add("-Dshardkv.replication.write-throttle-lag=" + writeThrottleLag.toMillis() + "ms");
        }
        if (functionSlots != null) {
            settings.add("-Dshardkv.function-slots=" + functionSlots);
        }
        return settings;
    }

    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder throttled = new LongAdder();

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
                    throttled.increment();
                } else if (status >= 400) {
                    errors.increment();
                } else if (read) {
                    reads.increment();
                } else {
                    writes.increment();
                }
            }
        } catch (IOException e) {
            errors.increment();
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
            MeasuredWork work = (worker, n, stats) -> {
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
                    (read ? reads : writes).increment();
                }
            };
            drive(warmup, i -> { }, (worker, n) -> work.run(worker, n, null));
            Phase system = measure(duration, work);
            com.fasterxml.jackson.databind.node.ObjectNode replication = JSON.createObjectNode();
            var shards = replication.putArray("shards");
            for (var shard : cluster.shardMap().shards()) {
                var s = shards.addObject().put("shard", shard.id());
                var rs = s.putArray("replicas");
                for (int r = 1; r <= shard.replicaCount(); r++) {
                    var lag = cluster.tracker().lag(shard.id(), r);
                    rs.addObject().put("replica", "replica-" + r).putObject("window").put("p50", lag.p50())
                            .put("p90", lag.p90()).put("p99", lag.p99()).put("max", lag.max()).put("samples", lag.samples());
                }
            }
            System.out.println("(in-process: the gateway core driven directly, no HTTP, in the benchmark's JVM)");
            report(t, replicas, system, replication, peakRssKb(ProcessHandle.current().pid()),
                    skipBaseline ? null : baseline(1 - readRatio),
                    skipBaseline ? null : baseline(systemWriteShare(system, replicas)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean useWrk() {
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

    // --- raw DynamoDB Local, same threads, same mix ---

    /** The share of writes among the DynamoDB operations the system did: writes x (1 + replicas) / all. */
    private static double systemWriteShare(Phase system, double replicas) {
        double writeOps = system.writes() * (1 + replicas);
        return writeOps / (writeOps + system.reads());
    }

    private Phase baseline(double writeShare) {
        double saved = readRatio;
        readRatio = 1 - writeShare;
        try {
            return baselineAtMix();
        } finally {
            readRatio = saved;
        }
    }

    private Phase baselineAtMix() {
        try (DynamoDbLocal local = DynamoDbLocal.inProcess(null)) {
            DynamoDbClient dynamo = local.dynamo();
            new TableProvisioner(dynamo).create("baseline", false);
            String[] keySpace = keySpace();
            for (String key : keySpace) {
                rawPut(dynamo, key);
            }
            drive(warmup, i -> { }, (worker, n) -> rawRequest(dynamo, keySpace, null));
            reads.reset();
            writes.reset();
            errors.reset();
            return measure(duration, (worker, n, stats) -> rawRequest(dynamo, keySpace, stats));
        }
    }

    private void rawRequest(DynamoDbClient dynamo, String[] keySpace, Stats stats) {
        String key = keySpace[ThreadLocalRandom.current().nextInt(keySpace.length)];
        boolean read = ThreadLocalRandom.current().nextDouble() < readRatio;
        long start = System.nanoTime();
        try {
            if (read) {
                dynamo.getItem(b -> b.tableName("baseline").key(ItemAttributes.key(key)));
            } else {
                rawPut(dynamo, key);
            }
            if (stats != null) {
                stats.recordMicros((System.nanoTime() - start) / 1_000);
                (read ? reads : writes).increment();
            }
        } catch (RuntimeException e) {
            errors.increment();
        }
    }

    private static void rawPut(DynamoDbClient dynamo, String key) {
        dynamo.putItem(b -> b.tableName("baseline").item(Map.of(
                ItemAttributes.PK, AttributeValue.fromS(key),
                ItemAttributes.VALUE, AttributeValue.fromS("{\"n\":1,\"pad\":\"0123456789abcdef0123456789abcdef\"}"),
                ItemAttributes.VERSION, AttributeValue.fromN("1"),
                ItemAttributes.TS, AttributeValue.fromN(Long.toString(System.currentTimeMillis())))));
    }

    // --- driving ---

    interface Work {
        void run(int worker, long n);
    }

    interface MeasuredWork {
        void run(int worker, long n, Stats stats);
    }

    private Phase measure(Duration d, MeasuredWork work) {
        reads.reset();
        writes.reset();
        errors.reset();
        throttled.reset();
        Stats latency = new Stats();
        long start = System.nanoTime();
        drive(d, i -> { }, (worker, n) -> work.run(worker, n, latency));
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Phase(reads.sum(), writes.sum(), throttled.sum(), errors.sum(), seconds, latency);
    }

    /** Runs {@code concurrency} workers for {@code d}; paced to {@code rate} requests/s in total when set. */
    private void drive(Duration d, IntConsumer setup, Work work) {
        long start = System.nanoTime();
        long end = start + d.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            pool.submit(() -> {
                setup.accept(worker);
                for (long n = 0; System.nanoTime() < end; n++) {
                    if (rate > 0) {
                        long due = start + (long) ((n * concurrency + worker) * 1e9 / rate);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            try {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                        if (System.nanoTime() >= end) {
                            return;
                        }
                    }
                    work.run(worker, n);
                }
            });
        }
        pool.shutdown();
        try {
            pool.awaitTermination(d.toMillis() + 60_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }

    private String[] keySpace() {
        String[] keySpace = new String[keys];
        for (int i = 0; i < keys; i++) {
            // spread over every range shard, or all on t-z
            keySpace[i] = (hotShard ? "t" : String.valueOf((char) ('a' + i % 26))) + "-bench-" + i;
        }
        return keySpace;
    }

    private static long peakRssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    // --- report ---

    private void report(Topology t, double replicas, Phase system, JsonNode replication, long peakRssKb, Phase raw,
            Phase rawAtSystemMix) {
        System.out.printf("load (client: %s): %s measured after %s warm-up, %d connections, %.0f%% eventual reads, %s, %d keys, "
                        + "topology %d shards x %.0f replicas%n", inProcess ? "in-process" : useWrk() ? "wrk" : "java",
                duration, warmup, concurrency, readRatio * 100,
                rate > 0 ? "paced at " + rate + " req/s" : "unpaced", keys, t.shards().size(), replicas);
        System.out.printf("  keys: %s; write throttle: %s; function slots: %s%n",
                hotShard ? "all on one shard (t-bench-N)" : "over every shard",
                writeThrottleLag == null ? "the runtime's default" : writeThrottleLag.isZero() ? "off" : writeThrottleLag.toMillis() + " ms",
                functionSlots == null ? "the runtime's default" : functionSlots);
        System.out.printf("  system:   %.0f req/s (%.0f reads/s, %.0f writes/s admitted, %.0f writes/s refused with 429), %d errors; latency %s%n",
                system.perSecond(system.reads() + system.writes()), system.perSecond(system.reads()),
                system.perSecond(system.writes()), system.perSecond(system.throttled()), system.errors(),
                system.latency().millis());
        List<Long> p50 = new ArrayList<>();
        List<Long> p99 = new ArrayList<>();
        List<Long> max = new ArrayList<>();
        for (JsonNode shard : replication.get("shards")) {
            for (JsonNode replica : shard.get("replicas")) {
                JsonNode w = replica.get("window");
                p50.add(w.get("p50").asLong());
                p99.add(w.get("p99").asLong());
                max.add(w.get("max").asLong());
                System.out.printf("  lag %s/%s: p50=%d ms p90=%d ms p99=%d ms max=%d ms over %d records%n",
                        shard.get("shard").asText(), replica.get("replica").asText(), w.get("p50").asLong(),
                        w.get("p90").asLong(), w.get("p99").asLong(), w.get("max").asLong(), w.get("samples").asLong());
            }
        }
        System.out.printf("  replication lag (worst replica): p50=%d ms p99=%d ms max=%d ms%n",
                p50.stream().mapToLong(x -> x).max().orElse(-1), p99.stream().mapToLong(x -> x).max().orElse(-1),
                max.stream().mapToLong(x -> x).max().orElse(-1));
        System.out.printf("  runtime peak resident memory (VmHWM): %d MiB%n", peakRssKb / 1024);
        if (raw != null) {
            double systemOps = system.perSecond(system.writes()) * (1 + replicas) + system.perSecond(system.reads());
            System.out.printf("  system DynamoDB ops/s = writes x (1 + %.0f replicas) + reads = %.0f (%.0f%% writes)%n",
                    replicas, systemOps, 100 * systemWriteShare(system, replicas));
            for (Phase r : new Phase[] {raw, rawAtSystemMix}) {
                double rawOps = r.perSecond(r.reads() + r.writes());
                System.out.printf("  raw DynamoDB Local (in-process, %d threads, %.0f%% PutItem): %.0f ops/s (%.0f GetItem/s, %.0f PutItem/s);"
                                + " latency %s; ratio system/raw = %.2f%n", concurrency,
                        100.0 * r.writes() / Math.max(1, r.reads() + r.writes()), rawOps, r.perSecond(r.reads()),
                        r.perSecond(r.writes()), r.latency().millis(), systemOps / rawOps);
            }
        }
    }
}
