package dev.shardkv.bench.cost;

import dev.shardkv.bench.cost.CostReport.Comparison;
import dev.shardkv.bench.cost.CostReport.Design;
import dev.shardkv.bench.cost.CostReport.Hop;
import dev.shardkv.bench.cost.CostReport.LatencyPath;
import dev.shardkv.bench.cost.CostReport.Line;
import dev.shardkv.bench.cost.CostReport.ReplicaRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cost of the deployed design (Terraform's: an HTTP API, a gateway function, per shard a writer, reader and
 * stream-fed replicator, a heartbeat, a resharder started every minute, on-demand tables) for a steady workload,
 * per month of 730 hours, at the list prices of {@link Prices}; and the same read copies bought as DynamoDB Global
 * Tables. What each request costs follows what the code does on AWS:
 *
 * <ul>
 *   <li>A write: one HTTP API request, the gateway function (which waits for the writer it invokes), the writer: one
 *       conditional {@code UpdateItem} on the leader (1 WRU per KB) and a strongly consistent read of the leader's
 *       fence item after it ({@code FenceGate.confirm}), plus one before it when the writer's last fence read started
 *       more than 100 ms ago ({@code FenceGate.FRESH}). A Lambda instance serves one request at a time, so on AWS
 *       writes do not share fence reads as they do in the embedded runtime; the chance that the read before is
 *       needed is taken as Poisson arrivals on each writer instance.</li>
 *   <li>Its stream record, per replica: the replicator's batch applies a single key with one conditional
 *       {@code PutItem} (1 WRU per KB), and several with a consistent {@code BatchGetItem} of the versions held
 *       (1 RRU per key per 4 KB) and {@code BatchWriteItem} (1 WRU per KB): {@code DynamoReplicaStore.applyAll}.
 *       Batches: the event source mapping polls each stream shard {@link Workload#pollsPerS} times a second and
 *       invokes with what has arrived, up to {@link Workload#batchSize}. Writes are taken as Poisson arrivals (mean
 *       μ a poll: a poll finds none with probability e^-μ, one with μe^-μ), heartbeats as periodic; a record that
 *       arrives alone in its poll is applied by one conditional put, without the version read. Each
 *       replica's watermark is saved at most every 200 ms per stream shard ({@code Replicator}), 1 WRU.</li>
 *   <li>An eventual read: the HTTP API, the gateway, the reader: one eventually consistent {@code GetItem} on a
 *       replica (0.5 RRU per 4 KB). Each gateway instance asks each shard's reader for its replicas' watermarks at
 *       most once a second when it reads that shard ({@code shardkv.watermark-refresh=1s}): one more reader
 *       invocation and an eventual read per replica. A strong read goes to the writer: a strong {@code GetItem} and
 *       a fence read.</li>
 *   <li>Every component's shard-map cache re-reads the control table's map at most once a second (strongly): per
 *       busy gateway and writer instance.</li>
 *   <li>Fixed: the heartbeat function runs {@link Workload#heartbeatRunS} of every minute and writes every leader
 *       every {@link Workload#heartbeatIntervalMs}, each beat replicated like a write; the resharder is started
 *       every minute and, with nothing to run, takes its lease and returns; CloudWatch custom metrics (EMF), alarms,
 *       the dashboard, logs; storage.</li>
 * </ul>
 *
 * Lambda instances (for the per-instance reads above) are counted as the concurrency the rates and durations
 * make, rounded up. Streams read by Lambda are free; the on-failure queues take nothing while batches succeed.
 */
public final class CostModel {
    /** Requests a second standing for "approaching zero": the fixed part of a design is its cost at this rate. */
    static final double TRICKLE = 1e-9;
    /** FenceGate.FRESH: a fence read older than this is repeated before a write. */
    static final double FENCE_FRESH_S = 0.100;
    /** Replicator.DEFAULT_WATERMARK_SAVE_INTERVAL: at most this many watermark saves a second per replica and stream shard. */
    static final double WATERMARK_SAVES_PER_S = 5;
    /** A DynamoDB partition takes 1,000 WCU a second, so a leader's stream has a shard per 1,000 WRU/s. */
    static final double WRU_PER_STREAM_SHARD = 1000;
    /** One invocation a minute (EventBridge rate(1 minute)) over the 730-hour month. */
    static final double SCHEDULED_PER_MONTH = 730 * 60;
    /** Replicator EMF metrics per replica (ReplicationDelayMs, HeartbeatAgeMs, ReplicatedRecords, ReplicationErrors, ReplicaLagMs). */
    static final int REPLICA_METRICS = 5;
    /** Gateway EMF metrics per shard (Reads, Writes, Throttles, WritesThrottled, ShardReadsPerSecond, ShardWritesPerSecond, ShardHot). */
    static final int SHARD_METRICS = 7;
    /** Terraform modules/observability: per replica delay p99, replication errors, divergence; per shard iterator age, on-failure queue. */
    static final int ALARMS_PER_REPLICA = 3;
    static final int ALARMS_PER_SHARD = 2;
    static final double GIB = 1024.0 * 1024 * 1024;

    private final Prices prices;

    public CostModel(Prices prices) {
        this.prices = prices;
    }

    public CostReport report(Workload w) {
        w.validate();
        Derived d = derive(w);
        Design shardkv = design("shardkv", w);
        Design gt = design("globalTables", w);
        Design front = design("globalTablesFrontDoor", w);
        Design single = design("singleTable", w);
        List<Comparison> comparisons = List.of(compare(w, shardkv, gt), compare(w, shardkv, front));
        List<ReplicaRow> rows = new ArrayList<>();
        for (int r = 1; r <= 10; r++) {
            Workload wr = w.copy();
            wr.replicas = r;
            Design s = design("shardkv", wr);
            Design g = design("globalTables", wr);
            Design f = design("globalTablesFrontDoor", wr);
            Comparison cg = compare(wr, s, g);
            Comparison cf = compare(wr, s, f);
            rows.add(new ReplicaRow(r, s.monthly(), g.monthly(), f.monthly(), cg.deltaPerMillionWrites(),
                    cg.deltaPerMillionReads(), cg.shardkvCheaperSomewhere(), cf.shardkvCheaperSomewhere()));
        }
        return new CostReport(w, prices, d.asMap(), shardkv, gt, front, single, comparisons, rows, hops(w, d),
                paths(w, d));
    }

    // ---------------------------------------------------------------------------------------------------------
    // The figures each line is built from
    // ---------------------------------------------------------------------------------------------------------

    /** Rates and durations derived from the workload; every one is printed, so that each line can be checked. */
    record Derived(double wru, double rruStrong, double eventualReadsPerS, double strongReadsPerS,
            double writerInstancesPerShard, double fenceStaleShare, double fenceReadsPerWrite, double writerPutMs,
            double writerGetMs, double readerGetMs, double readerWatermarksMs, double gatewayWriteMs,
            double gatewayEventualMs, double gatewayStrongMs, double gatewayInstances, double watermarkRefreshesPerS,
            double mapReadsPerS, double heartbeatsPerLeaderPerS, double recordsPerShardPerS, double streamShardsPerLeader,
            double replicatorInvocationsPerShardPerS, double meanBatch, double singleRecordShare,
            double replicatorMs, double watermarkSavesPerReplicaPerS, double resharderMs) {

        Map<String, Double> asMap() {
            Map<String, Double> m = new LinkedHashMap<>();
            for (var c : Derived.class.getRecordComponents()) {
                try {
                    m.put(c.getName(), (Double) c.getAccessor().invoke(this));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return m;
        }
    }

    static Derived derive(Workload w) {
        double S = w.shards;
        double R = w.replicas;
        double D = w.dynamoMs;
        double wru = Math.max(1, Math.ceil(w.itemKb - 1e-9));
        double rru = Math.max(1, Math.ceil(w.itemKb / 4 - 1e-9));
        double re = w.readsPerS * w.eventualShare;
        double rs = w.readsPerS - re;

        // Writer: a put is UpdateItem + the fence read after it (+ one before it when stale); a strong get is
        // GetItem + the fence read after it. Instances: the writer's concurrency, rounded up.
        double ws = w.writesPerS / S;
        double rss = rs / S;
        double writerGet = w.shardOwnMs + 2 * D;
        double putBase = w.shardOwnMs + 2 * D;
        double writerTraffic = ws + rss;
        double writerInstances = writerTraffic > 0 ? Math.max(1, Math.ceil((ws * putBase + rss * writerGet) / 1000)) : 0;
        double stale = ws > 0 ? Math.exp(-writerTraffic / writerInstances * FENCE_FRESH_S) : 0;
        double writerPut = w.writerMs != null ? w.writerMs : putBase + stale * D;
        double readerGet = w.readerMs != null ? w.readerMs : w.shardOwnMs + D;
        double readerWatermarks = w.shardOwnMs + R * D; // one GetItem per replica, one after the other

        // Gateway: its own work, the Invoke, and the shard function it waits for.
        double gwWrite = w.gatewayOwnMs + w.invokeMs + writerPut;
        double gwEventual = w.gatewayOwnMs + w.invokeMs + readerGet;
        double gwStrong = w.gatewayOwnMs + w.invokeMs + writerGet;
        double total = w.writesPerS + w.readsPerS;
        double gwInstances = total > 0
                ? Math.max(1, Math.ceil((w.writesPerS * gwWrite + re * gwEventual + rs * gwStrong) / 1000)) : 0;
        double watermarkRefreshes = re > 0 ? S * Math.min(gwInstances, re / S) : 0;
        double mapReads = Math.min(gwInstances, total) + S * Math.min(writerInstances, writerTraffic);

        // Replicator, per shard: the writes and heartbeats its stream carries, batched by the mapping's polls.
        double h = w.heartbeat ? 1000 / w.heartbeatIntervalMs : 0;
        double records = ws + h;
        double streamShards = Math.max(1, Math.ceil((ws * wru + h) / WRU_PER_STREAM_SHARD));
        double r1 = records / streamShards;
        double invocations = 0;
        double singles = 0;
        double meanBatch = 0;
        double singleShare = 0;
        double replicatorMs = 0;
        double watermarkSaves = 0;
        if (r1 > 0) {
            // Per poll: the writes that arrived (Poisson, mean mu) and the heartbeats (periodic: k or k + 1 a poll).
            double mu = ws / streamShards / w.pollsPerS;
            double beatsPerPoll = h / streamShards / w.pollsPerS;
            double k = Math.floor(beatsPerPoll);
            double frac = beatsPerPoll - k;
            double noBeat = k == 0 ? 1 - frac : 0;
            double oneBeat = k == 0 ? frac : k == 1 ? 1 - frac : 0;
            double none = noBeat * Math.exp(-mu);
            double one = oneBeat * Math.exp(-mu) + noBeat * mu * Math.exp(-mu);
            double polled = w.pollsPerS * (1 - none);
            double full = r1 / w.batchSize;
            invocations = Math.max(polled, full);
            singles = polled >= full ? w.pollsPerS * one : 0;
            meanBatch = r1 / invocations;
            singleShare = singles / r1;
            double multiInvocations = invocations - singles;
            double multiBatch = multiInvocations > 1e-12 ? (r1 - singles) / multiInvocations : 0;
            double savedShare = Math.min(1, WATERMARK_SAVES_PER_S / invocations);
            double singleMs = w.shardOwnMs + D + savedShare * D;
            double multiMs = w.shardOwnMs + Math.ceil(multiBatch / 100) * D + Math.ceil(multiBatch / 25) * D + savedShare * D;
            replicatorMs = w.replicatorMs != null ? w.replicatorMs
                    : (singles * singleMs + multiInvocations * multiMs) / invocations;
            watermarkSaves = streamShards * Math.min(invocations, WATERMARK_SAVES_PER_S);
        }
        double resharderMs = w.shardOwnMs + 3 * D; // lease, list the operations, release
        return new Derived(wru, rru, re, rs, writerInstances, stale, 1 + stale, writerPut, writerGet, readerGet,
                readerWatermarks, gwWrite, gwEventual, gwStrong, gwInstances, watermarkRefreshes, mapReads, h, records,
                streamShards, invocations * streamShards, meanBatch, singleShare, replicatorMs, watermarkSaves,
                resharderMs);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Designs
    // ---------------------------------------------------------------------------------------------------------

    /** A design's lines at the workload, and its fixed part and per-million figures from the same model. */
    Design design(String key, Workload w) {
        List<Line> lines = lines(key, w);
        double monthly = sum(lines);
        Workload idle = w.copy();
        idle.writesPerS = 0;
        idle.readsPerS = 0;
        double idleMonthly = sum(lines(key, idle));
        // The fixed part: the cost as traffic approaches zero (what switches on with the first request, such as the
        // gateway's metrics, counts as fixed, not as a cost per request).
        Workload trickle = w.copy();
        trickle.writesPerS = TRICKLE;
        trickle.readsPerS = TRICKLE;
        double fixed = sum(lines(key, trickle));
        Workload writes = w.copy();
        writes.readsPerS = 0;
        writes.writesPerS = w.writesPerS > 0 ? w.writesPerS : 1; // the marginal cost at 1/s when the workload has none
        Workload reads = w.copy();
        reads.writesPerS = 0;
        reads.readsPerS = w.readsPerS > 0 ? w.readsPerS : 1;
        double perWrite = (sum(lines(key, writes)) - fixed) / (writes.writesPerS * CostReport.MONTH_S / 1e6);
        double perRead = (sum(lines(key, reads)) - fixed) / (reads.readsPerS * CostReport.MONTH_S / 1e6);
        return switch (key) {
            case "shardkv" -> new Design(key, "ShardKV", "this design, as Terraform deploys it: " + w.shards
                    + " shards x (leader + " + w.replicas + " replicas) in one Region", lines, monthly, idleMonthly, fixed, perWrite, perRead);
            case "globalTables" -> new Design(key, "Global Tables", "one on-demand table in " + (1 + w.replicas)
                    + " Regions (1 + " + w.replicas + " replicas: the same number of copies), clients calling DynamoDB"
                    + " directly", lines, monthly, idleMonthly, fixed, perWrite, perRead);
            case "globalTablesFrontDoor" -> new Design(key, "Global Tables behind an HTTP API",
                    "the same global table behind the same front door: an HTTP API and one function per request",
                    lines, monthly, idleMonthly, fixed, perWrite, perRead);
            case "singleTable" -> new Design(key, "One table", "for reference: one on-demand table in one Region, no"
                    + " replicas (DynamoDB serves eventual reads from its own copies)", lines, monthly, idleMonthly, fixed, perWrite, perRead);
            default -> throw new IllegalArgumentException(key);
        };
    }

    List<Line> lines(String key, Workload w) {
        return switch (key) {
            case "shardkv" -> shardkv(w);
            case "globalTables" -> globalTables(w, false);
            case "globalTablesFrontDoor" -> globalTables(w, true);
            case "singleTable" -> singleTable(w);
            default -> throw new IllegalArgumentException(key);
        };
    }

    private List<Line> shardkv(Workload w) {
        Derived d = derive(w);
        double M = CostReport.MONTH_S;
        double S = w.shards;
        double R = w.replicas;
        double W = w.writesPerS;
        double total = W + w.readsPerS;
        double re = d.eventualReadsPerS();
        double rs = d.strongReadsPerS();
        String gbs = "lambda.gbSecond." + w.arch;
        List<Line> l = new ArrayList<>();

        l.add(line("API Gateway", "HTTP API requests", total * M, "apigateway.httpApi.request",
                "one per client request (writes and reads)"));

        double gwInvocations = total * M;
        l.add(line("Lambda", "gateway: requests", gwInvocations, "lambda.request", "one per client request"));
        l.add(line("Lambda", "gateway: duration", M * gb(w.gatewayMb) / 1000 * (W * d.gatewayWriteMs()
                        + re * d.gatewayEventualMs() + rs * d.gatewayStrongMs()
                        + d.watermarkRefreshesPerS() * (w.invokeMs + d.readerWatermarksMs())), gbs,
                String.format(Locale.ROOT, "%d MB; %s ms a write, %s an eventual read, %s a strong read (its own %s ms + Invoke %s ms"
                                + " + the shard function it waits for), + watermark refreshes",
                        w.gatewayMb, ms(d.gatewayWriteMs()), ms(d.gatewayEventualMs()), ms(d.gatewayStrongMs()),
                        ms(w.gatewayOwnMs), ms(w.invokeMs))));
        l.add(line("Lambda", "writers: requests", (W + rs) * M, "lambda.request", "writes and strong reads"));
        l.add(line("Lambda", "writers: duration", M * gb(w.writerMb) / 1000 * (W * d.writerPutMs() + rs * d.writerGetMs()),
                gbs, String.format(Locale.ROOT, "%d MB; %s ms a put (%.2f fence reads), %s ms a strong get",
                        w.writerMb, ms(d.writerPutMs()), d.fenceReadsPerWrite(), ms(d.writerGetMs()))));
        l.add(line("Lambda", "readers: requests", (re + d.watermarkRefreshesPerS()) * M, "lambda.request",
                String.format(Locale.ROOT, "eventual reads + %.2f watermark refreshes/s (each gateway instance asks each shard once a second)",
                        d.watermarkRefreshesPerS())));
        l.add(line("Lambda", "readers: duration", M * gb(w.readerMb) / 1000 * (re * d.readerGetMs()
                        + d.watermarkRefreshesPerS() * d.readerWatermarksMs()), gbs,
                String.format(Locale.ROOT, "%d MB; %s ms a get, %s ms a watermark refresh", w.readerMb, ms(d.readerGetMs()),
                        ms(d.readerWatermarksMs()))));
        double replicatorInvocations = S * d.replicatorInvocationsPerShardPerS() * M;
        l.add(line("Lambda", "replicators: requests", replicatorInvocations, "lambda.request",
                String.format(Locale.ROOT, "%.2f batches/s per shard, %.2f records each on average (batch size %d)",
                        d.replicatorInvocationsPerShardPerS(), d.meanBatch(), w.batchSize)));
        l.add(line("Lambda", "replicators: duration", replicatorInvocations * d.replicatorMs() / 1000 * gb(w.replicatorMb),
                gbs, String.format(Locale.ROOT, "%d MB; %s ms a batch", w.replicatorMb, ms(d.replicatorMs()))));
        double beats = w.heartbeat ? SCHEDULED_PER_MONTH : 0;
        l.add(line("Lambda", "heartbeat: requests", beats, "lambda.request", "EventBridge rate(1 minute)"));
        l.add(line("Lambda", "heartbeat: duration", beats * w.heartbeatRunS * gb(w.heartbeatMb), gbs,
                String.format(Locale.ROOT, "%d MB, %s s of every minute (shardkv.heartbeat.run-for)", w.heartbeatMb, ms(w.heartbeatRunS))));
        double reshards = w.resharderSchedule ? SCHEDULED_PER_MONTH : 0;
        l.add(line("Lambda", "resharder: requests", reshards, "lambda.request",
                "EventBridge rate(1 minute); with nothing to run it takes its lease and returns"));
        l.add(line("Lambda", "resharder: duration", reshards * d.resharderMs() / 1000 * gb(w.resharderMb), gbs,
                String.format(Locale.ROOT, "%d MB, %s ms idle", w.resharderMb, ms(d.resharderMs()))));

        String wruKey = "dynamodb.onDemand.writeRequestUnit";
        String rruKey = "dynamodb.onDemand.readRequestUnit";
        double h = d.heartbeatsPerLeaderPerS();
        l.add(line("DynamoDB", "leaders: writes", W * d.wru() * M, wruKey,
                String.format(Locale.ROOT, "conditional UpdateItem, %s WRU each", num(d.wru()))));
        l.add(line("DynamoDB", "leaders: fence reads", (W * d.fenceReadsPerWrite() + rs) * M, rruKey,
                String.format(Locale.ROOT, "strong GetItem of the fence item: after every write and strong read, and before a write"
                        + " when the last is older than 100 ms (%.0f %% of writes)", 100 * d.fenceStaleShare())));
        l.add(line("DynamoDB", "leaders: strong reads", rs * d.rruStrong() * M, rruKey,
                String.format(Locale.ROOT, "strong GetItem, %s RRU each", num(d.rruStrong()))));
        l.add(line("DynamoDB", "leaders: heartbeats", S * h * M, wruKey,
                String.format(Locale.ROOT, "%s a second on each of %d leaders", num(h), w.shards)));
        l.add(line("DynamoDB", "replicas: applied writes", R * (W * d.wru() + S * h) * M, wruKey,
                String.format(Locale.ROOT, "each replica applies each write (%s WRU) and heartbeat (1 WRU)", num(d.wru()))));
        l.add(line("DynamoDB", "replicas: version reads", R * (1 - d.singleRecordShare()) * (W * d.rruStrong() + S * h) * M,
                rruKey, String.format(Locale.ROOT, "consistent BatchGetItem before a batch of several keys; %.0f %% of records"
                        + " arrive alone and are one conditional put instead", 100 * d.singleRecordShare())));
        l.add(line("DynamoDB", "replicas: watermark writes", S * R * d.watermarkSavesPerReplicaPerS() * M, wruKey,
                String.format(Locale.ROOT, "%.2f a second per replica (at most every 200 ms per stream shard)",
                        d.watermarkSavesPerReplicaPerS())));
        l.add(line("DynamoDB", "replicas: eventual reads", re * 0.5 * d.rruStrong() * M, rruKey,
                String.format(Locale.ROOT, "eventual GetItem, %s RRU each", num(0.5 * d.rruStrong()))));
        l.add(line("DynamoDB", "replicas: watermark reads", d.watermarkRefreshesPerS() * R * 0.5 * M, rruKey,
                "the readers' answers to watermark refreshes: one eventual GetItem per replica"));
        l.add(line("DynamoDB", "control: shard-map reads", d.mapReadsPerS() * M, rruKey,
                String.format(Locale.ROOT, "strong GetItem at most once a second per busy instance: %.2f a second",
                        d.mapReadsPerS())));
        l.add(line("DynamoDB", "control: resharder lease", reshards * 2, wruKey, "take and release, once a minute"));
        l.add(line("DynamoDB", "control: resharder operations list", reshards, rruKey, "once a minute"));
        l.add(line("DynamoDB", "storage", (1 + R) * w.dataGb, "dynamodb.storage.standard",
                String.format(Locale.ROOT, "%s GB on each of %d tables per key range (leader + replicas)", num(w.dataGb), 1 + w.replicas)));
        double polls = S * d.streamShardsPerLeader() * w.pollsPerS * M;
        l.add(free("DynamoDB", "streams: GetRecords", polls, "dynamodb.streams.readRequestUnit",
                "free: read by Lambda event source mappings (DynamoDB triggers)"));

        l.add(line("SQS", "on-failure queues", 0, "sqs.standard.request",
                String.format(Locale.ROOT, "%d queues; a message only for a batch that still fails after its retries", w.shards)));
        l.add(line("EventBridge", "schedules", beats + reshards, "eventbridge.scheduledRule.event",
                "heartbeat and resharder rules, once a minute each"));

        boolean replicating = h > 0 || W > 0;
        double metrics = (replicating ? REPLICA_METRICS * S * R : 0) + (total > 0 ? SHARD_METRICS * S : 0);
        l.add(line("CloudWatch", "custom metrics (EMF)", metrics, "cloudwatch.customMetric",
                String.format(Locale.ROOT, "%d per replica from the replicators, %d per shard from the gateway while it has traffic",
                        REPLICA_METRICS, SHARD_METRICS)));
        l.add(line("CloudWatch", "alarms", w.observability ? (ALARMS_PER_REPLICA * R + ALARMS_PER_SHARD) * S : 0,
                "cloudwatch.alarm.standard", "Terraform modules/observability: 3 per replica, 2 per shard"));
        l.add(line("CloudWatch", "dashboard", w.observability ? 1 : 0, "cloudwatch.dashboard", "Terraform modules/observability"));
        double invocations = gwInvocations + (W + rs) * M + (re + d.watermarkRefreshesPerS()) * M + replicatorInvocations
                + beats + reshards;
        double emfLinesPerS = S * d.replicatorInvocationsPerShardPerS() * R
                + (total > 0 ? 2 * S * Math.min(d.gatewayInstances(), total / S) : 0);
        double emfValuesPerS = R * S * d.recordsPerShardPerS();
        double logBytes = invocations * w.logBytesPerInvocation + total * M * w.accessLogBytes
                + (emfLinesPerS * w.emfLineBytes + emfValuesPerS * w.emfValueBytes) * M;
        double logGb = logBytes / GIB;
        l.add(line("CloudWatch", "logs: ingestion", logGb, "cloudwatch.logs.ingestion",
                String.format(Locale.ROOT, "%s B of Lambda lines per invocation, %s B per HTTP API access-log line, EMF metric lines",
                        num(w.logBytesPerInvocation), num(w.accessLogBytes))));
        l.add(line("CloudWatch", "logs: storage", logGb * w.logRetentionDays / (730 / 24.0), "cloudwatch.logs.storage",
                String.format(Locale.ROOT, "%s days kept (log_retention_days), counted uncompressed", num(w.logRetentionDays))));
        return l;
    }

    private List<Line> globalTables(Workload w, boolean frontDoor) {
        Derived d = derive(w);
        double M = CostReport.MONTH_S;
        double R = w.replicas;
        double W = w.writesPerS;
        double total = W + w.readsPerS;
        List<Line> l = new ArrayList<>();
        if (frontDoor) {
            l.add(line("API Gateway", "HTTP API requests", total * M, "apigateway.httpApi.request", "one per client request"));
            double fnMs = w.gatewayOwnMs + w.dynamoMs;
            l.add(line("Lambda", "function: requests", total * M, "lambda.request", "one per client request"));
            l.add(line("Lambda", "function: duration", total * M * fnMs / 1000 * gb(w.gatewayMb), "lambda.gbSecond." + w.arch,
                    String.format(Locale.ROOT, "%d MB, %s ms: its own work and one DynamoDB request", w.gatewayMb, ms(fnMs))));
        }
        l.add(line("DynamoDB", "replicated writes", (1 + R) * W * d.wru() * M, "dynamodb.globalTables.replicatedWriteRequestUnit",
                String.format(Locale.ROOT, "%s rWRU in each of %d Regions per write", num(d.wru()), 1 + w.replicas)));
        l.add(line("DynamoDB", "eventual reads", d.eventualReadsPerS() * 0.5 * d.rruStrong() * M, "dynamodb.onDemand.readRequestUnit",
                String.format(Locale.ROOT, "%s RRU each, in the Region read", num(0.5 * d.rruStrong()))));
        l.add(line("DynamoDB", "strong reads", d.strongReadsPerS() * d.rruStrong() * M, "dynamodb.onDemand.readRequestUnit",
                "strong within the Region written to"));
        l.add(line("DynamoDB", "storage", (1 + R) * w.dataGb, "dynamodb.storage.standard",
                String.format(Locale.ROOT, "%s GB in each of %d Regions", num(w.dataGb), 1 + w.replicas)));
        l.add(free("DynamoDB", "replication stream", 0, "dynamodb.streams.readRequestUnit",
                "free: GetRecords by global tables' own replication is not charged"));
        l.add(line("Transfer", "cross-Region replication", R * W * w.itemKb / (1024 * 1024) * M, "dataTransfer.interRegion",
                String.format(Locale.ROOT, "%s KB per write to each of %d other Regions", num(w.itemKb), w.replicas)));
        if (frontDoor) {
            double logGb = (total * M * (w.logBytesPerInvocation + w.accessLogBytes)) / GIB;
            l.add(line("CloudWatch", "logs: ingestion", logGb, "cloudwatch.logs.ingestion",
                    "Lambda lines per invocation and HTTP API access-log lines, as ShardKV's"));
            l.add(line("CloudWatch", "logs: storage", logGb * w.logRetentionDays / (730 / 24.0), "cloudwatch.logs.storage",
                    String.format(Locale.ROOT, "%s days kept", num(w.logRetentionDays))));
        }
        return l;
    }

    private List<Line> singleTable(Workload w) {
        Derived d = derive(w);
        double M = CostReport.MONTH_S;
        List<Line> l = new ArrayList<>();
        l.add(line("DynamoDB", "writes", w.writesPerS * d.wru() * M, "dynamodb.onDemand.writeRequestUnit",
                String.format(Locale.ROOT, "%s WRU each", num(d.wru()))));
        l.add(line("DynamoDB", "eventual reads", d.eventualReadsPerS() * 0.5 * d.rruStrong() * M, "dynamodb.onDemand.readRequestUnit",
                String.format(Locale.ROOT, "%s RRU each", num(0.5 * d.rruStrong()))));
        l.add(line("DynamoDB", "strong reads", d.strongReadsPerS() * d.rruStrong() * M, "dynamodb.onDemand.readRequestUnit",
                String.format(Locale.ROOT, "%s RRU each", num(d.rruStrong()))));
        l.add(line("DynamoDB", "storage", w.dataGb, "dynamodb.storage.standard", "one copy billed"));
        return l;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Comparison
    // ---------------------------------------------------------------------------------------------------------

    Comparison compare(Workload w, Design s, Design o) {
        double df = s.fixed() - o.fixed();
        double da = s.perMillionWrites() - o.perMillionWrites();
        double db = s.perMillionReads() - o.perMillionReads();
        double rwru = o.lines().stream().filter(l -> l.priceKey().equals("dynamodb.globalTables.replicatedWriteRequestUnit"))
                .mapToDouble(Line::quantity).sum();
        Double breakEven = null;
        if (rwru > 0) {
            double list = prices.get("dynamodb.globalTables.replicatedWriteRequestUnit").unitPrice() * 1e6;
            breakEven = list + (s.monthly() - o.monthly()) * 1e6 / rwru;
        }
        return new Comparison(o.name(), s.monthly(), o.monthly(), df, da, db, breakEven, verdict(w, o.name(), df, da, db));
    }

    /** The comparison in words: where, in read/write mix and rate, ShardKV costs less than {@code other}, or that it never does. */
    static String verdict(Workload w, String other, double df, double da, double db) {
        String deltas = String.format(Locale.ROOT, "%s fixed a month, %s per million writes, %s per million reads",
                signed(df), signed(da), signed(db));
        if (da >= 0 && db >= 0 && df >= 0) {
            return "ShardKV costs more than " + other + " at every rate and read/write mix with " + w.replicas
                    + " replicas (" + deltas + ").";
        }
        if (da <= 0 && db <= 0 && df <= 0) {
            return "ShardKV costs less than " + other + " at every rate and read/write mix with " + w.replicas
                    + " replicas (" + deltas + ").";
        }
        StringBuilder s = new StringBuilder("ShardKV costs less than " + other + " only ");
        if (da < 0 && db >= 0) {
            s.append(db > 0 ? String.format(Locale.ROOT, "below %.3g reads per write", -da / db) : "with writes");
        } else if (db < 0 && da >= 0) {
            s.append(da > 0 ? String.format(Locale.ROOT, "above %.3g reads per write", da / -db) : "with reads");
        } else if (da < 0 && db < 0) {
            s.append("above a volume");
        } else {
            s.append("at low volume");
        }
        double q = w.writesPerS > 0 ? w.readsPerS / w.writesPerS : Double.POSITIVE_INFINITY;
        double perMillionWrites = Double.isInfinite(q) ? db : da + q * db; // per million writes at this mix
        if (df > 0 && perMillionWrites < 0 && !Double.isInfinite(q)) {
            double writesPerS = df / -perMillionWrites * 1e6 / CostReport.MONTH_S;
            s.append(String.format(Locale.ROOT, ", and at this mix (%.3g reads per write) only above %.3g writes/s", q, writesPerS));
        } else if (df < 0 && perMillionWrites > 0 && !Double.isInfinite(q)) {
            double writesPerS = -df / perMillionWrites * 1e6 / CostReport.MONTH_S;
            s.append(String.format(Locale.ROOT, ", and at this mix (%.3g reads per write) only below %.3g writes/s", q, writesPerS));
        }
        return s.append(" (").append(deltas).append(").").toString();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Latency budget
    // ---------------------------------------------------------------------------------------------------------

    static final String SRC_DYNAMO = "published bound, 'typically in the single digit milliseconds': "
            + "https://docs.aws.amazon.com/pt_br/whitepapers/latest/comparing-dynamodb-and-hbase-for-nosql/amazon-dynamodb-architecture-overview.html;"
            + " the value inside it is assumed (--dynamodb-ms)";
    static final String SRC_POLL = "https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html: 'Lambda polls shards in"
            + " your DynamoDB stream for records at a base rate of 4 times per second'";

    List<Hop> hops(Workload w, Derived d) {
        List<Hop> h = new ArrayList<>();
        h.add(new Hop("API Gateway (HTTP API)", w.apiGatewayMs, null, "assumed",
                "no AWS figure found; one forum measurement saw each AWS layer add about 30 ms to a browser round trip"
                        + " (https://forum.serverless.com/t/lambda-call-latency/3891) (--api-gateway-ms)"));
        h.add(new Hop("gateway function, its own work", w.gatewayOwnMs, null, "measured",
                "BENCHMARKS.md 'HTTP path': a warm API GET took 167-195 us of CPU on this machine; 1024 MB buys about"
                        + " 0.58 vCPU on Lambda (1,769 MB = 1 vCPU), about 0.3 ms, billed as 1 ms (--gateway-ms)"));
        h.add(new Hop("Lambda Invoke (gateway to shard function; mapping to replicator)", w.invokeMs, null, "assumed",
                "no AWS figure found (--lambda-invoke-ms)"));
        h.add(new Hop("DynamoDB request", w.dynamoMs, null, "published", SRC_DYNAMO));
        h.add(new Hop("writer: put", d.writerPutMs(), w.shardOwnMs + 3 * w.dynamoMs, "derived",
                String.format(Locale.ROOT, "its own %s ms + UpdateItem + fence read; + a fence read before it for %.0f %% of writes",
                        ms(w.shardOwnMs), 100 * d.fenceStaleShare())));
        h.add(new Hop("writer: strong get", d.writerGetMs(), null, "derived", "its own work + GetItem + fence read"));
        h.add(new Hop("reader: get", d.readerGetMs(), null, "derived", "its own work + one eventual GetItem"));
        h.add(new Hop("stream to replicator (the mapping's poll)", 500 / w.pollsPerS, 1000 / w.pollsPerS, "published",
                SRC_POLL + "; mean half a poll interval, at most one"));
        h.add(new Hop("replicator: apply a batch to every replica (in parallel)", d.replicatorMs(), null, "derived",
                String.format(Locale.ROOT, "its own work + one conditional put per replica (single record) or BatchGetItem + BatchWriteItem,"
                        + " + the watermark save; mean batch %.2f", d.meanBatch())));
        h.add(new Hop("embedded runtime: write acknowledged / on every replica", 1.7, 64.7, "measured",
                "BENCHMARKS.md 'Write -> every replica': ack p50 1.7 ms, applied on every replica p50 45 ms, max 64.7 ms;"
                        + " DynamoDB Local in-process with a 50 ms poll: not AWS"));
        h.add(new Hop("cold start (no SnapStart)", 1300, 2400.0, "measured",
                "BENCHMARKS.md 'Function init': 1.2-2.4 s per function zip on this machine; Terraform enables SnapStart,"
                        + " which restores a snapshot instead"));
        return h;
    }

    List<LatencyPath> paths(Workload w, Derived d) {
        double front = w.apiGatewayMs + w.gatewayOwnMs + w.invokeMs;
        List<LatencyPath> p = new ArrayList<>();
        p.add(new LatencyPath("write acknowledged", front + d.writerPutMs(), front + w.shardOwnMs + 3 * w.dynamoMs,
                "API Gateway + gateway + Invoke + writer put"));
        p.add(new LatencyPath("eventual read", front + d.readerGetMs(),
                front + d.readerGetMs() + w.invokeMs + d.readerWatermarksMs(),
                "API Gateway + gateway + Invoke + reader get; at most once a second per gateway instance and shard also a"
                        + " watermark refresh first"));
        p.add(new LatencyPath("strong read", front + d.writerGetMs(), null, "API Gateway + gateway + Invoke + writer get"));
        double apply = d.replicatorMs() > 0 ? d.replicatorMs() : w.shardOwnMs + w.dynamoMs;
        p.add(new LatencyPath("write on every replica, after its commit", 500 / w.pollsPerS + w.invokeMs + apply,
                1000 / w.pollsPerS + w.invokeMs + apply, "the mapping's poll + Invoke + the replicator's batch"));
        p.add(new LatencyPath("Global Tables: write or read in the Region called", w.dynamoMs, null,
                "one DynamoDB request, clients calling DynamoDB directly"));
        p.add(new LatencyPath("Global Tables: write in the other Regions", null, null,
                "not published as a figure in the pages found; DynamoDB reports it per Region pair as ReplicationLatency"
                        + " (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_monitoring.html)"));
        return p;
    }

    // ---------------------------------------------------------------------------------------------------------

    private Line line(String group, String item, double quantity, String priceKey, String note) {
        return new Line(group, item, quantity, priceKey, prices.get(priceKey).cost(quantity), note);
    }

    private Line free(String group, String item, double quantity, String priceKey, String note) {
        prices.get(priceKey);
        return new Line(group, item, quantity, priceKey, 0, note);
    }

    static double sum(List<Line> lines) {
        return lines.stream().mapToDouble(Line::usd).sum();
    }

    private static double gb(int mb) {
        return mb / 1024.0;
    }

    static String ms(double x) {
        return num(Math.round(x * 10) / 10.0);
    }

    static String num(double x) {
        return x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x);
    }

    static String signed(double usd) {
        return (usd < 0 ? "-$" : "+$") + String.format(Locale.ROOT, "%.2f", Math.abs(usd));
    }
}
