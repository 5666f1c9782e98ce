package dev.shardkv.bench.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardkv.bench.cost.CostReport.Comparison;
import dev.shardkv.bench.cost.CostReport.Design;
import dev.shardkv.bench.cost.CostReport.Line;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cost model's arithmetic, line by line, for a small workload worked out by hand below: 10 writes/s and 100
 * eventual reads/s on one shard with 2 replicas, items of 1 KB, 10 GB, arm64, Terraform's memory sizes, a
 * heartbeat a second, DynamoDB requests of 5 ms, Invokes of 10 ms, 1 ms of a function's own work.
 */
class CostModelTest {
    static final double M = 730 * 3600.0; // seconds in the model's month
    static final double REQ = 0.20 / 1e6; // Lambda, per request
    static final double GBS = 0.0000133334; // Lambda arm64, per GB-second
    static final double API = 1.00 / 1e6; // HTTP API, per request
    static final double WRU = 0.625 / 1e6;
    static final double RRU = 0.125 / 1e6;
    static final double CENT = 0.005;

    static Workload small() {
        Workload w = new Workload();
        w.writesPerS = 10;
        w.readsPerS = 100;
        w.replicas = 2;
        w.shards = 1;
        return w;
    }

    final CostModel model = new CostModel(Prices.defaults());

    // What the code does per request, by hand (see CostModel's javadoc for where each figure comes from):
    // writer: one instance (10/s x 11 ms), so the fence read before a write is needed when the last is over 100 ms
    // old: e^-(10 x 0.1) of writes. A put: 1 + 5 + 5 ms, + 5 ms for that share.
    static final double STALE = Math.exp(-1);
    static final double WRITER_PUT_MS = 11 + 5 * STALE; // 12.84
    static final double GATEWAY_WRITE_MS = 1 + 10 + WRITER_PUT_MS; // 23.84
    static final double GATEWAY_READ_MS = 1 + 10 + 6; // 17: reader = 1 + one GetItem
    // Gateway instances: ceil((10 x 23.84 + 100 x 17) / 1000) = ceil(1.94) = 2; each refreshes the shard's
    // watermarks once a second: 2 reader invocations/s of 1 + 2 x 5 ms, the gateway waiting 10 + 11 ms for each.
    static final double REFRESHES = 2;
    // Stream: 10 writes/s (Poisson) and 1 heartbeat/s in 4 polls/s: mu = 2.5 writes a poll, a heartbeat in 1 poll of 4.
    static final double NONE = 0.75 * Math.exp(-2.5); // a poll with nothing
    static final double ONE = 0.25 * Math.exp(-2.5) + 0.75 * 2.5 * Math.exp(-2.5); // a poll with one record
    static final double BATCHES = 4 * (1 - NONE); // 3.754 invocations/s
    static final double SINGLES = 4 * ONE; // 0.698 of them with one record
    static final double SINGLE_SHARE = SINGLES / 11; // of the 11 records/s
    // Every batch saves both watermarks (under 5 a second); one record: put + watermark; several (3.4 here):
    // BatchGetItem + one BatchWriteItem + watermark, each 5 ms, + 1 ms own work.
    static final double REPLICATOR_MS = (SINGLES * 11 + (BATCHES - SINGLES) * 16) / BATCHES;

    @Test
    void everyLineOfShardKvIsItsHandWorkedFigure() {
        Design s = model.design("shardkv", small());

        assertLine(s, "HTTP API requests", 110 * M, 110 * M * API); // $289.08
        assertLine(s, "gateway: requests", 110 * M, 110 * M * REQ); // $57.82
        double gatewayGbS = M / 1000 * (10 * GATEWAY_WRITE_MS + 100 * GATEWAY_READ_MS + REFRESHES * (10 + 11));
        assertLine(s, "gateway: duration", gatewayGbS, gatewayGbS * GBS); // 5.20M GB-s, $69.39
        assertLine(s, "writers: requests", 10 * M, 10 * M * REQ);
        assertLine(s, "writers: duration", 10 * M * WRITER_PUT_MS / 1000, 10 * M * WRITER_PUT_MS / 1000 * GBS);
        assertLine(s, "readers: requests", 102 * M, 102 * M * REQ);
        double readerGbS = M / 1000 * (100 * 6 + REFRESHES * 11);
        assertLine(s, "readers: duration", readerGbS, readerGbS * GBS);
        assertLine(s, "replicators: requests", BATCHES * M, BATCHES * M * REQ);
        assertLine(s, "replicators: duration", BATCHES * M * REPLICATOR_MS / 1000, BATCHES * M * REPLICATOR_MS / 1000 * GBS);
        assertLine(s, "heartbeat: requests", 43_800, 43_800 * REQ);
        assertLine(s, "heartbeat: duration", 43_800 * 59 * 0.5, 43_800 * 59 * 0.5 * GBS); // $17.23
        assertLine(s, "resharder: requests", 43_800, 43_800 * REQ);
        assertLine(s, "resharder: duration", 43_800 * 0.016, 43_800 * 0.016 * GBS); // 1 + 3 x 5 ms

        assertLine(s, "leaders: writes", 10 * M, 10 * M * WRU); // $16.43
        assertLine(s, "leaders: fence reads", 10 * (1 + STALE) * M, 10 * (1 + STALE) * M * RRU);
        assertLine(s, "leaders: strong reads", 0, 0);
        assertLine(s, "leaders: heartbeats", 1 * M, M * WRU);
        assertLine(s, "replicas: applied writes", 2 * 11 * M, 2 * 11 * M * WRU); // each replica: 10 writes + 1 beat
        assertLine(s, "replicas: version reads", 2 * (1 - SINGLE_SHARE) * 11 * M, 2 * (1 - SINGLE_SHARE) * 11 * M * RRU);
        assertLine(s, "replicas: watermark writes", 2 * BATCHES * M, 2 * BATCHES * M * WRU);
        assertLine(s, "replicas: eventual reads", 100 * 0.5 * M, 100 * 0.5 * M * RRU); // $16.43
        assertLine(s, "replicas: watermark reads", REFRESHES * 2 * 0.5 * M, REFRESHES * M * RRU);
        assertLine(s, "control: shard-map reads", 3 * M, 3 * M * RRU); // 2 gateway instances + 1 writer, once a second
        assertLine(s, "control: resharder lease", 2 * 43_800, 2 * 43_800 * WRU);
        assertLine(s, "control: resharder operations list", 43_800, 43_800 * RRU);
        assertLine(s, "storage", 30, 30 * 0.25); // 10 GB on the leader and 2 replicas
        assertLine(s, "streams: GetRecords", 4 * M, 0); // free to Lambda triggers
        assertLine(s, "on-failure queues", 0, 0);
        assertLine(s, "schedules", 2 * 43_800, 0);
        assertLine(s, "custom metrics (EMF)", 5 * 2 + 7, 17 * 0.30);
        assertLine(s, "alarms", 3 * 2 + 2, 8 * 0.10);
        assertLine(s, "dashboard", 1, 3.00);
        double invocations = (110 + 10 + 102 + BATCHES) * M + 2 * 43_800;
        double emfLines = BATCHES * 2 + 2 * Math.min(2, 110);
        double bytes = invocations * 350 + 110 * M * 350 + (emfLines * 450 + 2 * 11 * 10) * M;
        double gib = bytes / (1024.0 * 1024 * 1024);
        assertLine(s, "logs: ingestion", gib, gib * 0.50);
        assertLine(s, "logs: storage", gib * 30 / (730 / 24.0), gib * 30 / (730 / 24.0) * 0.03);

        assertThat(s.lines()).hasSize(34);
        assertThat(s.monthly()).isCloseTo(s.lines().stream().mapToDouble(Line::usd).sum(), within(1e-9));
    }

    @Test
    void globalTablesAreRegionsTimesReplicatedWritesAndReadsAtTheEventualPrice() {
        Design g = model.design("globalTables", small());
        assertLine(g, "replicated writes", 3 * 10 * M, 3 * 10 * M * 0.625 / 1e6); // 1 + 2 Regions: $49.28
        assertLine(g, "eventual reads", 100 * 0.5 * M, 100 * 0.5 * M * RRU);
        assertLine(g, "strong reads", 0, 0);
        assertLine(g, "storage", 30, 7.5);
        assertLine(g, "replication stream", 0, 0);
        double gb = 2 * 10 * M / (1024 * 1024.0); // 1 KB to each of 2 other Regions
        assertLine(g, "cross-Region replication", gb, gb * 0.02);
        assertThat(g.fixed()).isCloseTo(7.5, within(1e-6));
        assertThat(g.perMillionWrites()).isCloseTo(3 * 0.625 + 2 * 0.02 / 1.024 / 1.024, within(1e-6));
        assertThat(g.perMillionReads()).isCloseTo(0.0625, within(1e-9));

        Design front = model.design("globalTablesFrontDoor", small());
        assertLine(front, "HTTP API requests", 110 * M, 110 * M * API);
        assertLine(front, "function: requests", 110 * M, 110 * M * REQ);
        assertLine(front, "function: duration", 110 * M * 0.006, 110 * M * 0.006 * GBS); // 1 ms + one 5 ms request
        double logGib = 110 * M * 700 / (1024.0 * 1024 * 1024);
        assertLine(front, "logs: ingestion", logGib, logGib * 0.50);
    }

    @Test
    void perMillionFiguresAreTheWriteAndReadShareOverTheirCount() {
        Design s = model.design("shardkv", small());
        // A read's own cost, by hand: HTTP API, two Lambda requests, 17 + 6 ms at 1 GB, half an RRU, 700 B of logs
        // (Lambda lines twice, the access-log line) kept 30 days; plus a few % for the watermark refreshes, shard-map
        // reads and the gateway's metric lines.
        double read = 1.00 + 0.40 + 0.023 * 1e6 * GBS + 0.0625 + 1e6 * 1050 / (1024.0 * 1024 * 1024) * (0.50 + 0.03 * 30 / 30.42);
        assertThat(s.perMillionReads()).isBetween(read, read * 1.05);
        // A write: HTTP API, two Lambda requests, ~24 + ~13 ms, 1 WRU on the leader and each replica, fence and
        // version reads, logs; and its share of the stream batches.
        double write = 1.00 + 0.40 + (GATEWAY_WRITE_MS + WRITER_PUT_MS) / 1000 * 1e6 * GBS + 3 * 0.625
                + (1 + STALE) * 0.125 + 2 * (1 - SINGLE_SHARE) * 0.125
                + 1e6 * 1050 / (1024.0 * 1024 * 1024) * (0.50 + 0.03 * 30 / 30.42);
        assertThat(s.perMillionWrites()).isBetween(write, write * 1.2);
        assertThat(s.fixed()).isGreaterThan(s.idle()); // the gateway's metrics start with the first request
    }

    @Test
    void atListPricesShardKvCostsMoreThanGlobalTablesAtEveryMixAndReplicaCount() {
        CostReport r = model.report(small());
        Comparison direct = r.comparisons().get(0);
        assertThat(direct.deltaPerMillionWrites()).isPositive();
        assertThat(direct.deltaPerMillionReads()).isPositive();
        assertThat(direct.deltaFixed()).isPositive();
        assertThat(direct.shardkvCheaperHere()).isFalse();
        assertThat(direct.shardkvCheaperSomewhere()).isFalse();
        assertThat(direct.verdict()).startsWith("ShardKV costs more than Global Tables at every rate and read/write mix");
        // The rWRU price at which they meet here is far above the list price.
        assertThat(direct.breakEvenReplicatedWrite()).isGreaterThan(0.625 * 2);
        assertThat(r.byReplicas()).hasSize(10).allSatisfy(row -> {
            assertThat(row.cheaperSomewhere()).isFalse();
            assertThat(row.shardkvMonthly()).isGreaterThan(row.globalTablesMonthly());
        });
        assertThat(r.comparisons().get(1).shardkvCheaperSomewhere()).isFalse(); // behind the same HTTP API too
    }

    @Test
    void whenReplicatedWritesCostMoreThanTheBreakEvenTheDirectionTurnsForWriteHeavyMixes() throws Exception {
        ObjectNode doc = priceDocument();
        ((ObjectNode) doc.path("prices").path("dynamodb.globalTables.replicatedWriteRequestUnit")).put("value", 20.0);
        CostModel dear = new CostModel(Prices.parse(doc, "test"));
        Comparison c = dear.report(small()).comparisons().get(0);
        // Global Tables now pay 3 x $20 per million writes, ShardKV ~$5: it is cheaper per write, dearer per read,
        // so it costs less below a reads-per-write ratio of -deltaWrites / deltaReads (~25), which 10 is.
        assertThat(c.deltaPerMillionWrites()).isNegative();
        assertThat(c.deltaPerMillionReads()).isPositive();
        assertThat(c.shardkvCheaperSomewhere()).isTrue();
        assertThat(c.shardkvCheaperHere()).isTrue();
        double ratio = -c.deltaPerMillionWrites() / c.deltaPerMillionReads();
        assertThat(ratio).isBetween(15.0, 40.0);
        assertThat(c.verdict()).contains("only below " + String.format(java.util.Locale.ROOT, "%.3g", ratio) + " reads per write");

        Workload readHeavy = small();
        readHeavy.readsPerS = 10 * ratio * 2;
        assertThat(dear.report(readHeavy).comparisons().get(0).shardkvCheaperHere()).isFalse();
    }

    @Test
    void theShippedPriceFileHasEveryPriceWithItsUnitSourceRegionAndDate() {
        Prices p = Prices.defaults();
        assertThat(p.region()).isEqualTo("us-east-1");
        for (String key : Prices.REQUIRED) {
            Prices.Price price = p.get(key);
            assertThat(price.unit()).as(key).isNotBlank();
            assertThat(price.region()).as(key).isEqualTo("us-east-1");
            assertThat(price.source()).as(key).startsWith("https://aws.amazon.com/");
            assertThat(price.checked()).as(key).matches("\\d{4}-\\d{2}-\\d{2}");
            if (price.confirmed()) {
                assertThat(price.confirmedBy()).as(key).isNotEmpty().allMatch(u -> u.startsWith("http"));
            } else {
                assertThat(price.note()).as(key + ": an unconfirmed price says why").isNotBlank();
            }
        }
        assertThat(p.get("apigateway.httpApi.request").value()).isEqualTo(1.00); // Terraform deploys an HTTP API
        assertThat(p.get("dynamodb.onDemand.writeRequestUnit").value()).isEqualTo(0.625); // since November 2024
        assertThat(p.get("eventbridge.scheduledRule.event").confirmed()).isFalse();
    }

    @Test
    void aPriceFileWithoutAPriceTheModelUsesIsRefused() throws Exception {
        for (String key : List.of("dynamodb.onDemand.readRequestUnit", "cloudwatch.logs.ingestion")) {
            ObjectNode doc = priceDocument();
            ((ObjectNode) doc.path("prices")).remove(key);
            assertThatThrownBy(() -> Prices.parse(doc, "prices.json"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(key + " is missing");
        }
        ObjectNode noSource = priceDocument();
        ((ObjectNode) noSource.path("prices").path("lambda.request")).remove("source");
        assertThatThrownBy(() -> Prices.parse(noSource, "prices.json")).hasMessageContaining("lambda.request has no \"source\"");
        ObjectNode noValue = priceDocument();
        ((ObjectNode) noValue.path("prices").path("lambda.request")).put("value", "free");
        assertThatThrownBy(() -> Prices.parse(noValue, "prices.json")).hasMessageContaining("lambda.request has no numeric \"value\"");
    }

    @Test
    void anIdleDeploymentPaysTheHeartbeatItsReplicationAndMonitoring() {
        Workload idle = small();
        idle.writesPerS = 0;
        idle.readsPerS = 0;
        idle.shards = 3;
        Design s = model.design("shardkv", idle);
        // Heartbeats alone reach each stream one a second: one batch of one record a second per shard, a conditional
        // put and a watermark save per replica, and no version read.
        assertLine(s, "replicators: requests", 3 * M, 3 * M * REQ);
        assertLine(s, "replicas: version reads", 0, 0);
        assertLine(s, "replicas: watermark writes", 6 * M, 6 * M * WRU);
        assertLine(s, "heartbeat: duration", 43_800 * 59 * 0.5, 43_800 * 59 * 0.5 * GBS);
        assertLine(s, "custom metrics (EMF)", 30, 9.0); // no gateway metrics without traffic
        assertThat(s.monthly()).isEqualTo(s.idle());
        assertThat(s.monthly()).isBetween(60.0, 80.0);
    }

    @Test
    void theCommandWithoutOptionsIsTheWorkloadsDefaultsAndPrintsTheModelAndItsSources() throws Exception {
        CostCommand command = new CostCommand();
        new picocli.CommandLine(command).parseArgs();
        ObjectMapper json = new ObjectMapper();
        JsonNode parsed = json.valueToTree(command.workload());
        JsonNode defaults = json.valueToTree(new Workload());
        assertThat(parsed).isEqualTo(defaults);

        CostReport report = model.report(new Workload());
        String text = CostText.text(report);
        assertThat(text).contains("ShardKV: this design", "Global Tables: one on-demand table in 3 Regions",
                "When ShardKV costs less than Global Tables, and when more", "Latency budget", "Prices (us-east-1");
        for (String key : Prices.REQUIRED) {
            assertThat(text).as(key).contains(Prices.defaults().get(key).source());
        }
        JsonNode doc = json.readTree(json.writeValueAsString(CostText.json(report, List.of("./shardkv", "cost"))));
        assertThat(doc.path("designs")).hasSize(4);
        assertThat(doc.path("comparisons").get(0).path("shardkvCheaperSomewhere").asBoolean()).isFalse();
        assertThat(doc.path("prices").path("lambda.request").path("source").asText()).isEqualTo("https://aws.amazon.com/lambda/pricing/");
    }

    private static void assertLine(Design d, String item, double quantity, double usd) {
        Line line = d.lines().stream().filter(l -> l.item().equals(item)).findFirst()
                .orElseThrow(() -> new AssertionError(d.key() + " has no line " + item));
        assertThat(line.quantity()).as(item + " quantity").isCloseTo(quantity, within(Math.max(1e-6, quantity * 1e-9)));
        assertThat(line.usd()).as(item + " USD").isCloseTo(usd, within(Math.max(1e-9, CENT * 1e-3)));
    }

    private static ObjectNode priceDocument() throws Exception {
        try (InputStream in = CostModelTest.class.getResourceAsStream(Prices.DEFAULT_RESOURCE)) {
            JsonNode doc = new ObjectMapper().readTree(in);
            return (ObjectNode) doc;
        }
    }
}
