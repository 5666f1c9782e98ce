package dev.shardkv.bench;

import static dev.shardkv.bench.JsonOutput.round;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardkv.bench.Driver.Phase;
import dev.shardkv.core.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a load run prints: the system's throughput and latency, replication delay per replica, memory, and the ratio to raw DynamoDB Local. */
final class LoadReport {
    private LoadReport() {
    }

    /** The share of writes among the DynamoDB operations the system did: writes x (1 + replicas) / all. */
    static double systemWriteShare(Phase system, double replicas) {
        double writeOps = system.writes() * (1 + replicas);
        return writeOps / (writeOps + system.reads());
    }

    static long peakRssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }



    /**
     * The run's figures, added to {@code out} (which holds the bench and command line): what a script compares
     * between runs. {@code lagP50Ms}/{@code lagP99Ms} are the worst replica's delay percentiles (commit on the
     * leader to apply on the replica, per record); a ratio is null when the baseline was skipped.
     * {@code ratioSystemOps} is against the system's own DynamoDB operations issued directly ({@link SystemOpsBaseline}),
     * whose replication delay is {@code rawSystemLagP50Ms}/{@code rawSystemLagP99Ms}.
     */
    static ObjectNode json(ObjectNode out, double replicas, Phase system, JsonNode replication, long peakRssKb, Phase raw,
            Phase rawAtSystemMix, SystemOpsBaseline.Result rawSystem) {
        out.put("requestsPerS", round(system.perSecond(system.reads() + system.writes())));
        out.put("readsPerS", round(system.perSecond(system.reads())));
        out.put("writesPerS", round(system.perSecond(system.writes())));
        out.put("throttledPerS", round(system.perSecond(system.throttled())));
        out.put("errors", system.errors());
        out.put("latencyP50Ms", round(system.latency().percentileMillis(50)));
        out.put("latencyP99Ms", round(system.latency().percentileMillis(99)));
        long p50 = -1;
        long p99 = -1;
        for (JsonNode shard : replication.get("shards")) {
            for (JsonNode replica : shard.get("replicas")) {
                p50 = Math.max(p50, replica.get("delay").get("p50").asLong());
                p99 = Math.max(p99, replica.get("delay").get("p99").asLong());
            }
        }
        out.put("lagP50Ms", p50);
        out.put("lagP99Ms", p99);
        out.put("peakRssMiB", peakRssKb / 1024);
        double systemOps = system.perSecond(system.writes()) * (1 + replicas) + system.perSecond(system.reads());
        out.put("systemDynamoOpsPerS", round(systemOps));
        out.put("ratioClientMix", raw == null ? null : round(systemOps / raw.perSecond(raw.reads() + raw.writes())));
        out.put("ratioSameMix", rawAtSystemMix == null ? null
                : round(systemOps / rawAtSystemMix.perSecond(rawAtSystemMix.reads() + rawAtSystemMix.writes())));
        out.put("rawSystemOpsPerS", rawSystem == null ? null : round(rawSystem.opsPerSecond()));
        out.put("ratioSystemOps", rawSystem == null ? null : round(systemOps / rawSystem.opsPerSecond()));
        out.put("rawSystemLagP50Ms", rawSystem == null ? null : rawSystem.delayP50Ms());
        out.put("rawSystemLagP99Ms", rawSystem == null ? null : rawSystem.delayP99Ms());
        out.put("rawSystemAppliedPerS", rawSystem == null ? null : round(rawSystem.phase().perSecond(rawSystem.applied())));
        return out;
    }

    static void print(LoadBench b, Topology t, double replicas, Phase system, JsonNode replication, long peakRssKb, Phase raw,
            Phase rawAtSystemMix, SystemOpsBaseline.Result rawSystem) {
        System.out.printf("load (client: %s): %s measured after %s warm-up, %d connections, %.0f%% eventual reads, %s, %d keys, "
                        + "topology %d shards x %.0f replicas%n", b.inProcess ? "in-process" : b.useWrk() ? "wrk" : "java",
                b.duration, b.warmup, b.concurrency, b.readRatio * 100,
                b.rate > 0 ? "paced at " + b.rate + " req/s" : "unpaced", b.keys, t.shards().size(), replicas);
        System.out.printf("  keys: %s; write throttle: %s; function slots: %s%n",
                b.hotShard ? "all on one shard (t-bench-N)" : "over every shard",
                b.writeThrottleLag == null ? "the runtime's default" : b.writeThrottleLag.isZero() ? "off" : b.writeThrottleLag.toMillis() + " ms",
                b.functionSlots == null ? "the runtime's default" : b.functionSlots);
        System.out.printf("  system:   %.0f req/s (%.0f reads/s, %.0f writes/s admitted, %.0f writes/s refused with 429), %d errors; latency %s%n",
                system.perSecond(system.reads() + system.writes()), system.perSecond(system.reads()),
                system.perSecond(system.writes()), system.perSecond(system.throttled()), system.errors(),
                system.latency().millis());
        List<Long> p50 = new ArrayList<>();
        List<Long> p99 = new ArrayList<>();
        List<Long> max = new ArrayList<>();
        for (JsonNode shard : replication.get("shards")) {
            for (JsonNode replica : shard.get("replicas")) {
                JsonNode d = replica.get("delay");
                p50.add(d.get("p50").asLong());
                p99.add(d.get("p99").asLong());
                max.add(d.get("max").asLong());
                System.out.printf("  delay %s/%s: p50=%d ms p90=%d ms p99=%d ms max=%d ms over %d records%n",
                        shard.get("shard").asText(), replica.get("name").asText(), d.get("p50").asLong(),
                        d.get("p90").asLong(), d.get("p99").asLong(), d.get("max").asLong(), d.get("samples").asLong());
            }
        }
        System.out.printf("  replication delay (worst replica): p50=%d ms p99=%d ms max=%d ms%n",
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
                                + " latency %s; ratio system/raw = %.2f%n", b.concurrency,
                        100.0 * r.writes() / Math.max(1, r.reads() + r.writes()), rawOps, r.perSecond(r.reads()),
                        r.perSecond(r.writes()), r.latency().millis(), systemOps / rawOps);
            }
            Phase s = rawSystem.phase();
            System.out.printf("  the system's DynamoDB operations issued directly (in-process, %d threads: leader UpdateItem, replica"
                            + " GetItem; per leader GetRecords, applyAll, watermarks): %.0f ops/s (%.0f GetItem/s, %.0f UpdateItem/s);"
                            + " latency %s; ratio system/this = %.2f%n", b.concurrency, rawSystem.opsPerSecond(),
                    s.perSecond(s.reads()), s.perSecond(s.writes()), s.latency().millis(), systemOps / rawSystem.opsPerSecond());
            System.out.printf("    its replication: delay (worst replica) p50=%d ms p99=%d ms; %.0f records applied/s for %.0f written x %.0f replicas%n",
                    rawSystem.delayP50Ms(), rawSystem.delayP99Ms(), s.perSecond(rawSystem.applied()), s.perSecond(s.writes()), replicas);
        }
    }
}
