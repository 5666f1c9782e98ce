package dev.shardkv.bench.cost;

import java.util.List;
import java.util.Map;

/** What {@link CostModel} computes: one {@link Design} per way of buying the reads, the comparison, the latency budget. */
public record CostReport(Workload workload, Prices prices, Map<String, Double> derived, Design shardkv,
        Design globalTables, Design globalTablesFrontDoor, Design singleTable, List<Comparison> comparisons,
        List<ReplicaRow> byReplicas, List<Hop> hops, List<LatencyPath> paths) {

    /** Seconds in the model's month: 730 hours, as AWS's pricing examples count. */
    public static final double MONTH_S = 730 * 3600.0;

    /**
     * One billed item: {@code quantity} units a month at the price {@code priceKey}, costing {@code usd} a month
     * (0 where the item is free, e.g. stream reads by Lambda, with the reason in {@code note}).
     */
    public record Line(String group, String item, double quantity, String priceKey, double usd, String note) {
    }

    /**
     * One design's month: its lines and total, what it costs with no requests at all ({@code idle}) and as traffic
     * approaches zero ({@code fixed}: with what the first request switches on, such as the gateway's metrics), and what a million
     * more writes or reads add at this workload ({@code perMillionWrites}, {@code perMillionReads}: the model run
     * with only writes, or only reads, less the fixed part, divided by their count).
     */
    public record Design(String key, String name, String description, List<Line> lines, double monthly, double idle, double fixed,
            double perMillionWrites, double perMillionReads) {
        public double group(String group) {
            return lines.stream().filter(l -> l.group().equals(group)).mapToDouble(Line::usd).sum();
        }
    }

    /**
     * ShardKV against one Global Tables design, as costs linear in the month's writes and reads: ShardKV costs less
     * where {@code deltaFixed + deltaPerMillionWrites * writes/1e6 + deltaPerMillionReads * reads/1e6 < 0}.
     *
     * @param breakEvenReplicatedWrite the rWRU list price (USD per million) at which the two cost the same at this
     *                                 workload; null without writes
     * @param verdict                  the answer in words, computed from the deltas
     */
    public record Comparison(String against, double shardkvMonthly, double otherMonthly, double deltaFixed,
            double deltaPerMillionWrites, double deltaPerMillionReads, Double breakEvenReplicatedWrite, String verdict) {
        public boolean shardkvCheaperHere() {
            return shardkvMonthly < otherMonthly;
        }

        /** Whether some read/write mix and rate exists at which ShardKV costs less (with these prices and replicas). */
        public boolean shardkvCheaperSomewhere() {
            return deltaPerMillionWrites < 0 || deltaPerMillionReads < 0 || deltaFixed < 0;
        }
    }

    /** The same workload at another replica count. */
    public record ReplicaRow(int replicas, double shardkvMonthly, double globalTablesMonthly,
            double frontDoorMonthly, double deltaPerMillionWrites, double deltaPerMillionReads,
            boolean cheaperSomewhere, boolean cheaperSomewhereThanFrontDoor) {
    }

    /**
     * One hop of a request, ms; {@code kind} says where the figure comes from: {@code published} (an AWS document),
     * {@code measured} (BENCHMARKS.md, on this machine, not on AWS), {@code assumed}, or {@code derived} (from the
     * others).
     */
    public record Hop(String name, double ms, Double maxMs, String kind, String source) {
    }

    /** A request's path through the hops, and its total. */
    public record LatencyPath(String name, Double ms, Double maxMs, String how) {
    }
}
