package dev.shardkv.bench.cost;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardkv.bench.cost.CostReport.Comparison;
import dev.shardkv.bench.cost.CostReport.Design;
import dev.shardkv.bench.cost.CostReport.Hop;
import dev.shardkv.bench.cost.CostReport.LatencyPath;
import dev.shardkv.bench.cost.CostReport.Line;
import dev.shardkv.bench.cost.CostReport.ReplicaRow;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A {@link CostReport} as text for people, or as one JSON object. */
public final class CostText {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CostText() {
    }

    public static String text(CostReport r) {
        Workload w = r.workload();
        Map<String, Double> d = r.derived();
        StringBuilder s = new StringBuilder();
        s.append(f("ShardKV cost model: %s list prices (checked %s, %s), a month of 730 hours%n%n", r.prices().region(),
                r.prices().checked(), r.prices().file()));
        s.append(f("Workload  %s writes/s, %s reads/s (%s %% eventual, from replicas); %d shards x %d replicas; items %s KB;"
                        + " %s GB of data%n", CostModel.num(w.writesPerS), CostModel.num(w.readsPerS),
                CostModel.num(Math.round(w.eventualShare * 1000) / 10.0), w.shards, w.replicas, CostModel.num(w.itemKb),
                CostModel.num(w.dataGb)));
        if (w.writesPerS + w.readsPerS > w.apiRateLimit) {
            s.append(f("Note      %s requests/s is above the HTTP API stage's rate limit, %s/s (Terraform api_throttling_rate_limit):"
                            + " raise it for this traffic, or the API answers 429 beyond it%n",
                    CostModel.num(w.writesPerS + w.readsPerS), CostModel.num(w.apiRateLimit)));
        }
        s.append(f("Lambda    %s; gateway %d MB, writer %d, reader %d, replicator %d, heartbeat %d, resharder %d%n", w.arch,
                w.gatewayMb, w.writerMb, w.readerMb, w.replicatorMb, w.heartbeatMb, w.resharderMb));
        s.append(f("Assumed   DynamoDB request %s ms, Lambda Invoke %s ms, the gateway's own work %s ms, a shard function's"
                        + " %s ms (see the latency budget)%n", CostModel.ms(w.dynamoMs), CostModel.ms(w.invokeMs),
                CostModel.ms(w.gatewayOwnMs), CostModel.ms(w.shardOwnMs)));
        s.append(f("Derived   billed ms: gateway %s a write, %s an eventual read; writer %s a put; reader %s a get;"
                        + " replicator %s a batch%n", CostModel.ms(d.get("gatewayWriteMs")), CostModel.ms(d.get("gatewayEventualMs")),
                CostModel.ms(d.get("writerPutMs")), CostModel.ms(d.get("readerGetMs")), CostModel.ms(d.get("replicatorMs"))));
        s.append(f("          %.2f fence reads per write; per shard %.2f stream records/s (writes + heartbeats) in %.2f"
                        + " batches/s of %.2f on average (batch size %d, %s polls/s), %.0f %% of records alone%n",
                d.get("fenceReadsPerWrite"), d.get("recordsPerShardPerS"), d.get("replicatorInvocationsPerShardPerS"),
                d.get("meanBatch"), w.batchSize, CostModel.num(w.pollsPerS), 100 * d.get("singleRecordShare")));
        s.append(f("          gateway instances %s, watermark refreshes %.2f/s, shard-map reads %.2f/s, heartbeats %s/s per"
                        + " leader%n%n", CostModel.num(d.get("gatewayInstances")), d.get("watermarkRefreshesPerS"),
                d.get("mapReadsPerS"), CostModel.num(d.get("heartbeatsPerLeaderPerS"))));

        for (Design design : List.of(r.shardkv(), r.globalTables(), r.globalTablesFrontDoor())) {
            design(s, r, design);
        }

        s.append("Comparison at this workload\n");
        s.append(f("  %-36s %12s %12s %14s %14s%n", "design", "USD/month", "fixed", "per 1M writes", "per 1M reads"));
        for (Design design : List.of(r.shardkv(), r.globalTables(), r.globalTablesFrontDoor(), r.singleTable())) {
            s.append(f("  %-36s %12s %12s %14s %14s%n", design.name(), usd(design.monthly()), usd(design.fixed()),
                    usd(design.perMillionWrites()), usd(design.perMillionReads())));
        }
        s.append(f("  (%s: %s)%n%n", r.singleTable().name(), r.singleTable().description()));

        s.append("When ShardKV costs less than Global Tables, and when more\n");
        for (Comparison c : r.comparisons()) {
            s.append(f("  vs %s: %s%n", c.against(), c.verdict()));
            s.append(f("    here: ShardKV %s against %s a month.", usd(c.shardkvMonthly()), usd(c.otherMonthly())));
            if (c.breakEvenReplicatedWrite() != null) {
                s.append(f(" The two would cost the same here if replicated writes cost %s per million rWRU (list: %s).",
                        usd(c.breakEvenReplicatedWrite()),
                        usd(r.prices().get("dynamodb.globalTables.replicatedWriteRequestUnit").unitPrice() * 1e6)));
            }
            s.append('\n');
        }
        s.append(f("  The same traffic at each replica count (ShardKV minus Global Tables per million requests):%n"));
        s.append(f("  %8s %12s %12s %14s %14s %14s %s%n", "replicas", "ShardKV", "Global Tab.", "GT + HTTP API",
                "per 1M writes", "per 1M reads", "ShardKV cheaper at some mix/rate?"));
        for (ReplicaRow row : r.byReplicas()) {
            s.append(f("  %8d %12s %12s %14s %14s %14s %s%n", row.replicas(), usd(row.shardkvMonthly()),
                    usd(row.globalTablesMonthly()), usd(row.frontDoorMonthly()), signedUsd(row.deltaPerMillionWrites()),
                    signedUsd(row.deltaPerMillionReads()), (row.cheaperSomewhere() ? "yes" : "no") + " / "
                            + (row.cheaperSomewhereThanFrontDoor() ? "yes" : "no") + " (vs GT / vs GT + HTTP API)"));
        }
        s.append("  Global Tables keep one replica per Region: they buy copies in other Regions (near other users, another\n"
                + "  Region's failure), never a second copy in the same one, and replicate without functions. ShardKV's\n"
                + "  replicas are in one Region. Inside one Region a single on-demand table already serves eventual reads at\n"
                + "  any rate from DynamoDB's own copies (the 'One table' line): what the replicas buy here is reads that never\n"
                + "  touch the leader's table, each replica's lag bounded and reported, and the REST API, not read capacity.\n\n");

        s.append("Latency budget (ms; published = an AWS document, measured = BENCHMARKS.md on this machine, not on AWS)\n");
        s.append(f("  %-62s %8s %8s  %-9s %s%n", "hop", "typical", "max", "kind", "source"));
        for (Hop h : r.hops()) {
            s.append(f("  %-62s %8s %8s  %-9s %s%n", h.name(), CostModel.ms(h.ms()),
                    h.maxMs() == null ? "" : CostModel.ms(h.maxMs()), h.kind(), h.source()));
        }
        s.append(f("  %-62s %8s %8s  %s%n", "path", "typical", "max", "how"));
        for (LatencyPath p : r.paths()) {
            s.append(f("  %-62s %8s %8s  %s%n", p.name(), p.ms() == null ? "n/a" : CostModel.ms(p.ms()),
                    p.maxMs() == null ? "" : CostModel.ms(p.maxMs()), p.how()));
        }
        s.append('\n');

        s.append(f("Prices (%s, checked %s; sources and readings in %s)%n", r.prices().region(), r.prices().checked(),
                r.prices().file()));
        for (Prices.Price p : r.prices().all().values()) {
            s.append(f("  %-50s %-44s %s%s%n", p.key(), p.label(), p.source(),
                    p.confirmed() ? "" : "  (NOT CONFIRMED: " + p.note() + ")"));
        }
        return s.toString();
    }

    private static void design(StringBuilder s, CostReport r, Design design) {
        s.append(f("%s: %s%n", design.name(), design.description()));
        s.append(f("  %-12s %-38s %14s  %-50s %12s%n", "service", "item", "quantity/month", "list price", "USD/month"));
        for (Line l : design.lines()) {
            s.append(f("  %-12s %-38s %14s  %-50s %12s%n", l.group(), l.item(), qty(l.quantity()),
                    r.prices().get(l.priceKey()).label(), usd(l.usd())));
        }
        s.append(f("  %-12s %-38s %14s  %-50s %12s%n", "total", "", "", "", usd(design.monthly())));
        s.append(f("  fixed %s a month (idle, no requests at all: %s); per million writes %s, per million reads %s%n%n",
                usd(design.fixed()), usd(design.idle()), usd(design.perMillionWrites()), usd(design.perMillionReads())));
    }

    public static ObjectNode json(CostReport r, List<String> command) {
        ObjectNode out = JSON.createObjectNode();
        out.put("command", String.join(" ", command));
        out.put("region", r.prices().region());
        out.put("pricesChecked", r.prices().checked());
        out.put("pricesFile", r.prices().file());
        out.put("monthHours", 730);
        out.set("workload", JSON.valueToTree(r.workload()));
        out.set("derived", JSON.valueToTree(r.derived()));
        ArrayNode designs = out.putArray("designs");
        for (Design d : List.of(r.shardkv(), r.globalTables(), r.globalTablesFrontDoor(), r.singleTable())) {
            designs.add(JSON.valueToTree(d));
        }
        ArrayNode comparisons = out.putArray("comparisons");
        for (Comparison c : r.comparisons()) {
            ObjectNode node = JSON.valueToTree(c);
            node.put("shardkvCheaperHere", c.shardkvCheaperHere());
            node.put("shardkvCheaperSomewhere", c.shardkvCheaperSomewhere());
            comparisons.add(node);
        }
        out.set("byReplicas", JSON.valueToTree(r.byReplicas()));
        ObjectNode latency = out.putObject("latency");
        latency.set("hops", JSON.valueToTree(r.hops()));
        latency.set("paths", JSON.valueToTree(r.paths()));
        out.set("prices", JSON.valueToTree(r.prices().all()));
        return out;
    }

    static String usd(double x) {
        return (x < 0 ? "-$" : "$") + String.format(Locale.ROOT, Math.abs(x) < 10 ? "%.3f" : "%,.2f", Math.abs(x));
    }

    static String signedUsd(double x) {
        return (x < 0 ? "-" : "+") + usd(Math.abs(x));
    }

    static String qty(double q) {
        if (q >= 1e9) {
            return String.format(Locale.ROOT, "%.2fG", q / 1e9);
        }
        if (q >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", q / 1e6);
        }
        if (q >= 1e4) {
            return String.format(Locale.ROOT, "%.1fK", q / 1e3);
        }
        return String.format(Locale.ROOT, q == Math.rint(q) ? "%.0f" : "%.2f", q);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
