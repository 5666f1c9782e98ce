package dev.shardkv.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.reshard.OperationState;
import dev.shardkv.core.reshard.Resharder;
import dev.shardkv.core.reshard.Reshards;
import dev.shardkv.core.reshard.SplitRequest;
import dev.shardkv.core.store.Scannable;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.dynamodb.DynamoLeaderStore;
import dev.shardkv.embedded.EmbeddedCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Splits a shard under a steady write load, N times (each on a fresh cluster), and measures what the issue
 * asks: the write pause (from the operation, and as clients see it), the total time, and the copy rate
 * against a raw parallel scan of the same table in the same run. The writes are open loop (sent on a
 * schedule, not after the previous answer), so a pause shows in their latency as it would for clients.
 */
@Command(name = "reshard", mixinStandardHelpOptions = true,
        description = "Split a-l at g under a steady write rate, N times; pause, time, copy rate.")
final class ReshardBench implements Runnable {
    @Option(names = "--items", defaultValue = "20000", description = "items in a-l before the first split (default ${DEFAULT-VALUE})")
    int items;

    @Option(names = "--rate", defaultValue = "200", description = "writes/s during the operations, over all shards (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--operations", defaultValue = "5", description = "splits, each on a fresh cluster (default ${DEFAULT-VALUE})")
    int operations;

    @Option(names = "--topology", defaultValue = "topology.json", description = "topology file (default ${DEFAULT-VALUE})")
    Path topology;

    @Mixin
    JsonOutput json;

    /** One write as a client saw it: when it was due, when it ended, whether its key was in the moving range. */
    private record Write(long dueNanos, long endNanos, boolean moving, String failed) {
    }

    /** One operation as the bench saw it, from polling it. */
    private record Seen(Operation operation, long startNanos, long copiedNanos, long cutoverNanos, long endNanos) {
    }

    @Override
    public void run() {
        Topology t = Topology.load(topology);
        Resharder.Settings settings = Resharder.Settings.DEFAULT;
        List<Write> writes = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Seen> seen = new ArrayList<>();
        double rawRate = 0;
        double rawCopyRate = 0;
        ObjectNode figures = json.object().put("segments", settings.segments()).put("pageSize", settings.pageSize());
        ArrayNode splits = figures.putArray("splits"); // each split's own figures, as printed while it runs
        try {
            // A fresh cluster per split: DynamoDB Local keeps every stream record, and its reads slow down
            // as streams grow, so back-to-back operations on one emulator would measure the emulator's history.
            for (int i = 0; i < operations; i++) {
                try (EmbeddedCluster cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(t)
                        .withReshard(settings.withGrace(java.time.Duration.ofSeconds(5))))) {
                    ObjectNode split = splits.addObject();
                    preload(cluster.gateway(), split);
                    rawRate = rawScan(cluster, settings, split);
                    rawCopyRate = rawCopy(cluster, settings, split);
                    try (Load load = new Load(cluster.gateway(), rate, writes)) {
                        Thread.sleep(6_000); // the load settles, and the preload is older than the catch-up's clock margin
                        seen.add(runOne(cluster.reshards(), split));
                        Thread.sleep(1_000);
                    }
                }
            }
            report(seen, writes, rawRate, rawCopyRate, figures);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void preload(Gateway gateway, ObjectNode split) throws InterruptedException {
        long started = System.nanoTime();
        try (ExecutorService lanes = Executors.newFixedThreadPool(8)) {
            for (int lane = 0; lane < 8; lane++) {
                int l = lane;
                lanes.submit(() -> {
                    for (int i = l; i < items; i += 8) {
                        gateway.put(key(i), "{\"i\":" + i + ",\"pad\":\"" + "x".repeat(100) + "\"}", Precondition.NONE,
                                ConsistencyToken.EMPTY);
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        split.put("preloadedItems", items).put("preloadMs", Math.round(seconds * 1000));
        json.progress().printf("preloaded %d items into a-l in %.1f s%n", items, seconds);
    }

    private static String key(int i) {
        return (char) ('a' + i % 12) + "-" + i;
    }

    /** Items/s of the copy's own scan (same segments, same page size), reading only. */
    private double rawScan(EmbeddedCluster cluster, Resharder.Settings settings, ObjectNode split)
            throws InterruptedException {
        ShardEntry source = cluster.shardMap().shard("a-l").orElseThrow();
        DynamoLeaderStore leader = new DynamoLeaderStore(cluster.dynamo(), source.leader());
        LongAdder read = new LongAdder();
        long started = System.nanoTime();
        try (ExecutorService lanes = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int segment = 0; segment < settings.segments(); segment++) {
                int s = segment;
                running.add(lanes.submit(() -> {
                    String cursor = null;
                    do {
                        Scannable.ScanPage page = leader.scanSegment(s, settings.segments(), cursor, settings.pageSize());
                        read.add(page.items().size());
                        cursor = page.lastEvaluatedKey();
                    } while (cursor != null);
                }));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        split.put("rawScanItems", read.sum()).put("rawScanMs", Math.round(seconds * 1000))
                .put("rawScanItemsPerS", JsonOutput.round(read.sum() / seconds));
        json.progress().printf("raw parallel scan of a-l: %d items in %.2f s = %.0f items/s (%d segments, pages of %d)%n",
                read.sum(), seconds, read.sum() / seconds, settings.segments(), settings.pageSize());
        return read.sum() / seconds;
    }

    /**
     * Items/s of the same scan written by the copy's own batch apply into a scratch table with no stream
     * and no replicas, with nothing else running: DynamoDB Local's ceiling for the copy's work.
     */
    private double rawCopy(EmbeddedCluster cluster, Resharder.Settings settings, ObjectNode split)
            throws InterruptedException {
        ShardEntry source = cluster.shardMap().shard("a-l").orElseThrow();
        DynamoLeaderStore leader = new DynamoLeaderStore(cluster.dynamo(), source.leader());
        String scratch = source.leader() + "-bench-copy";
        new dev.shardkv.dynamodb.TableProvisioner(cluster.dynamo()).create(scratch, false);
        dev.shardkv.dynamodb.DynamoReplicaStore target = new dev.shardkv.dynamodb.DynamoReplicaStore(cluster.dynamo(), scratch);
        LongAdder copied = new LongAdder();
        long started = System.nanoTime();
        try (ExecutorService lanes = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int segment = 0; segment < settings.segments(); segment++) {
                int s = segment;
                lanes.submit(() -> {
                    String cursor = null;
                    do {
                        Scannable.ScanPage page = leader.scanSegment(s, settings.segments(), cursor, settings.pageSize());
                        target.applyAll(page.items());
                        copied.add(page.items().size());
                        cursor = page.lastEvaluatedKey();
                    } while (cursor != null);
                });
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        new dev.shardkv.dynamodb.TableProvisioner(cluster.dynamo()).delete(scratch);
        split.put("rawCopyItems", copied.sum()).put("rawCopyMs", Math.round(seconds * 1000))
                .put("rawCopyItemsPerS", JsonOutput.round(copied.sum() / seconds));
        json.progress().printf("raw parallel copy of a-l (same scan, same batch apply, into a table with no stream or replicas):"
                + " %d items in %.2f s = %.0f items/s%n", copied.sum(), seconds, copied.sum() / seconds);
        return copied.sum() / seconds;
    }

    private Seen runOne(Reshards reshards, ObjectNode split) throws InterruptedException {
        long start = System.nanoTime();
        Operation op = reshards.split(new SplitRequest("a-l", "g", null));
        long copied = 0;
        long cutover = 0;
        while (op.isActive()) {
            Thread.sleep(5);
            op = reshards.get(op.id());
            long now = System.nanoTime();
            if (copied == 0 && op.state() != OperationState.COPYING) {
                copied = now;
            }
            if (cutover == 0 && op.state() == OperationState.CUTTING_OVER) {
                cutover = now;
            }
        }
        long end = System.nanoTime();
        split.put("kind", String.valueOf(op.kind())).put("id", op.id()).put("state", String.valueOf(op.state()))
                .put("error", op.error()).put("totalMs", (end - start) / 1_000_000).put("copied", op.progress().copied())
                .put("writePauseMs", op.writePauseMs());
        json.progress().printf("%s %s: %s in %.2f s, copied %d, write pause %s ms%n", op.kind(), op.id(), op.state(),
                (end - start) / 1e9, op.progress().copied(), op.writePauseMs());
        return new Seen(op, start, copied == 0 ? end : copied, cutover == 0 ? end : cutover, end);
    }

    private void report(List<Seen> seen, List<Write> writes, double rawRate, double rawCopyRate, ObjectNode figures) {
        Stats pause = new Stats();
        Stats clientPause = new Stats();
        Stats total = new Stats();
        List<Double> copyRates = new ArrayList<>();
        for (Seen s : seen) {
            if (s.operation().state() != OperationState.DONE) {
                json.progress().println("NOT DONE: " + s.operation().id() + " " + s.operation().error());
                continue;
            }
            pause.recordMicros(s.operation().writePauseMs() * 1000);
            total.recordMicros((s.endNanos() - s.startNanos()) / 1000);
            copyRates.add(s.operation().progress().copied() * 1e9 / (s.copiedNanos() - s.startNanos()));
            // As clients see it: the slowest write to the moving range due while the operation was cutting over.
            long worst = 0;
            synchronized (writes) {
                for (Write w : writes) {
                    if (w.moving() && w.dueNanos() >= s.cutoverNanos() - 50_000_000L && w.dueNanos() <= s.endNanos()) {
                        worst = Math.max(worst, w.endNanos() - w.dueNanos());
                    }
                }
            }
            clientPause.recordMicros(worst / 1000);
        }
        Stats moving = new Stats();
        Stats others = new Stats();
        java.util.Map<String, Long> failed = new java.util.TreeMap<>();
        synchronized (writes) {
            for (Write w : writes) {
                (w.moving() ? moving : others).recordMicros((w.endNanos() - w.dueNanos()) / 1000);
                if (w.failed() != null) {
                    failed.merge(w.failed(), 1L, Long::sum);
                }
            }
        }
        copyRates.sort(Double::compare);
        double medianCopyRate = copyRates.isEmpty() ? 0 : copyRates.get(copyRates.size() / 2);
        if (json.on) {
            figures.put("operations", seen.size()).put("writes", writes.size()).put("writeRatePerS", rate);
            failed.forEach(figures.putObject("refused")::put);
            pause.json(figures.putObject("writePause"));
            clientPause.json(figures.putObject("writePauseClients"));
            moving.json(figures.putObject("writeLatencyMoving"));
            others.json(figures.putObject("writeLatencyOthers"));
            total.json(figures.putObject("totalPerOperation"));
            figures.put("copyMedianItemsPerS", JsonOutput.round(medianCopyRate))
                    .put("rawScanItemsPerS", JsonOutput.round(rawRate)).put("rawCopyItemsPerS", JsonOutput.round(rawCopyRate));
            json.print(figures);
            return;
        }
        System.out.println();
        System.out.printf("operations: %d, writes: %d at %d/s, refused: %s%n", seen.size(), writes.size(), rate,
                failed.isEmpty() ? "none" : failed);
        System.out.println("write pause (operation):      " + pause.millis());
        System.out.println("write pause (clients, worst write per cutover): " + clientPause.millis());
        System.out.println("write latency, moving range:  " + moving.millis());
        System.out.println("write latency, other shards:  " + others.millis());
        System.out.println("total time per operation:     " + total.millis());
        System.out.printf("copy rate (items copied / time from start to the end of the copy): median %.0f items/s,"
                + " raw parallel scan %.0f items/s, raw parallel copy %.0f items/s%n",
                medianCopyRate, rawRate, rawCopyRate);
    }

    /** Writes at a fixed rate, open loop, over the whole key space, each on its own virtual thread. */
    private static final class Load implements AutoCloseable {
        private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
        private final AtomicLong n = new AtomicLong();

        Load(Gateway gateway, int rate, List<Write> writes) {
            long periodNanos = 1_000_000_000L / rate;
            ticker.scheduleAtFixedRate(() -> {
                long due = System.nanoTime();
                long i = n.incrementAndGet();
                String key = (char) ('a' + i % 26) + "-load-" + (i % 5_000);
                boolean moving = key.charAt(0) < 'm';
                senders.submit(() -> {
                    String failed = null;
                    try {
                        gateway.put(key, "{\"n\":" + i + "}", Precondition.NONE, ConsistencyToken.EMPTY);
                    } catch (dev.shardkv.core.error.ShardKvException e) {
                        failed = e.type().status() + " " + e.type().uri().substring("urn:shardkv:problem:".length());
                    } catch (RuntimeException e) {
                        failed = e.getClass().getSimpleName();
                    }
                    writes.add(new Write(due, System.nanoTime(), moving, failed));
                });
            }, 0, periodNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void close() {
            ticker.shutdownNow();
            senders.shutdown();
            try {
                senders.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
