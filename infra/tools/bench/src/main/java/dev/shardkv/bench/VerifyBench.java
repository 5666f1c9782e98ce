package dev.shardkv.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.reshard.Reshards;
import dev.shardkv.core.reshard.VerifyRequest;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.core.verify.VerifyReport;
import dev.shardkv.dynamodb.DynamoReplicaStore;
import dev.shardkv.dynamodb.ItemAttributes;
import dev.shardkv.embedded.EmbeddedCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Verifies every replica of every shard against its leader, N items per shard, and sets that against a raw
 * 4-segment parallel scan of the same tables in the same run; then with one replica item differing, how many
 * items the verification read. The items are written straight into leaders and replicas (the same version in
 * each), so the load takes seconds, not the minutes replication would.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify every replica of every shard; time against a raw parallel scan; one item differing.")
final class VerifyBench implements Runnable {
    private static final int SEGMENTS = 4;

    @Option(names = "--items", defaultValue = "100000", description = "items per shard (default ${DEFAULT-VALUE})")
    int items;

    @Option(names = "--rounds", defaultValue = "2", description = "clean verifications, each after a raw scan (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--topology", defaultValue = "topology.json", description = "topology file (default ${DEFAULT-VALUE})")
    Path topology;

    @Mixin
    JsonOutput json;

    @Override
    public void run() {
        Topology t = Topology.load(topology);
        ObjectNode report = json.object();
        try (EmbeddedCluster cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(t))) {
            List<ShardEntry> shards = cluster.shardMap().shards();
            load(cluster.dynamo(), shards, report);
            Thread.sleep(3_000); // heartbeats move every replica's watermark past the loaded commits
            Reshards admin = cluster.reshards();
            ArrayNode roundsJson = report.putArray("rounds");
            for (int round = 1; round <= rounds; round++) {
                long[] raw = rawScan(cluster, shards);
                Operation done = await(admin, admin.verify(new VerifyRequest(null, false)));
                long ms = done.updatedAt() - done.createdAt();
                long compared = sum(done, VerifyReport::compared);
                long itemsRead = sum(done, VerifyReport::itemsRead);
                long differences = done.result().differences();
                json.progress().printf("round %d: raw parallel scan of the %d tables: %,d items in %d ms; verification of"
                        + " every replica: %d ms (%.2f x raw), compared %,d, items read %d, differences %d%n", round,
                        tables(shards).size(), raw[1], raw[0], ms, ms / (double) raw[0], compared, itemsRead, differences);
                roundsJson.addObject().put("round", round).put("tables", tables(shards).size())
                        .put("rawScanItems", raw[1]).put("rawScanMs", raw[0]).put("verifyMs", ms)
                        .put("ratioToRaw", raw[0] == 0 ? null : JsonOutput.round(ms / (double) raw[0]))
                        .put("compared", compared).put("itemsRead", itemsRead).put("differences", differences);
            }
            ShardEntry first = shards.getFirst();
            String key = key(first, items / 2);
            new DynamoReplicaStore(cluster.dynamo(), first.replicas().getFirst())
                    .replace(key, 1L, StoredItem.live(key, "\"old\"", 0, 1_000)); // an older version than the leader's
            Operation one = await(admin, admin.verify(new VerifyRequest(null, false)));
            String replica = first.replicas().getFirst();
            long ms = one.updatedAt() - one.createdAt();
            long compared = sum(one, VerifyReport::compared);
            long itemsRead = sum(one, VerifyReport::itemsRead);
            json.progress().printf("one item differing (%s on %s): verification %d ms, differences %d, items read %d of %,d"
                    + " compared%n", key, replica, ms, one.result().differences(), itemsRead, compared);
            report.putObject("oneDiffering").put("key", key).put("replica", replica).put("verifyMs", ms)
                    .put("differences", one.result().differences()).put("itemsRead", itemsRead).put("compared", compared);
            if (json.on) {
                json.print(report);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The same items, version 1, into each shard's leader and replicas, 25 to a batch on 8 lanes. */
    private void load(DynamoDbClient dynamo, List<ShardEntry> shards, ObjectNode report) throws InterruptedException {
        long started = System.nanoTime();
        long now = System.currentTimeMillis() - 10_000;
        try (ExecutorService lanes = Executors.newFixedThreadPool(8)) {
            for (ShardEntry shard : shards) {
                for (String table : tablesOf(shard)) {
                    for (int lane = 0; lane < 8; lane++) {
                        int l = lane;
                        lanes.submit(() -> {
                            List<WriteRequest> batch = new ArrayList<>();
                            for (int i = l; i < items; i += 8) {
                                StoredItem item = StoredItem.live(key(shard, i), "{\"i\":" + i + ",\"pad\":\""
                                        + "x".repeat(100) + "\"}", 1, now);
                                batch.add(WriteRequest.builder().putRequest(p -> p.item(ItemAttributes.toItem(item))).build());
                                if (batch.size() == 25 || i + 8 >= items) {
                                    write(dynamo, table, batch);
                                    batch = new ArrayList<>();
                                }
                            }
                        });
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        report.put("items", items).put("shards", shards.size()).put("replicaTables", tables(shards).size() - shards.size())
                .put("loadMs", Math.round(seconds * 1000));
        json.progress().printf("loaded %,d items into each of %d shards (leader and %d tables of replicas) in %.1f s%n",
                items, shards.size(), tables(shards).size() - shards.size(), seconds);
    }

    private static void write(DynamoDbClient dynamo, String table, List<WriteRequest> batch) {
        List<WriteRequest> left = batch;
        while (!left.isEmpty()) {
            List<WriteRequest> now = left;
            left = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, now))).unprocessedItems()
                    .getOrDefault(table, List.of());
        }
    }

    /** A key in the shard's range: its first letter, then a number. */
    private static String key(ShardEntry shard, int i) {
        String first = shard.start() == null ? "a" : shard.start();
        return first + "-" + i;
    }

    /** {ms, items}: every table scanned whole, 4 segments each, one table after the other, as a verification goes. */
    private static long[] rawScan(EmbeddedCluster cluster, List<ShardEntry> shards) throws InterruptedException {
        LongAdder read = new LongAdder();
        long started = System.nanoTime();
        for (String table : tables(shards)) {
            try (ExecutorService lanes = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int segment = 0; segment < SEGMENTS; segment++) {
                    int s = segment;
                    lanes.submit(() -> {
                        Map<String, AttributeValue> start = null;
                        do {
                            Map<String, AttributeValue> from = start;
                            var page = cluster.dynamo().scan(b -> b.tableName(table).segment(s).totalSegments(SEGMENTS)
                                    .limit(1_000).exclusiveStartKey(from));
                            read.add(page.count());
                            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                                    ? page.lastEvaluatedKey() : null;
                        } while (start != null);
                    });
                }
            }
        }
        return new long[] {(System.nanoTime() - started) / 1_000_000, read.sum()};
    }

    private static List<String> tables(List<ShardEntry> shards) {
        return shards.stream().flatMap(s -> tablesOf(s).stream()).toList();
    }

    private static List<String> tablesOf(ShardEntry shard) {
        List<String> tables = new ArrayList<>(List.of(shard.leader()));
        tables.addAll(shard.replicas());
        return tables;
    }

    private static long sum(Operation op, java.util.function.ToLongFunction<VerifyReport> field) {
        return op.result().replicas().stream().mapToLong(field).sum();
    }

    private static Operation await(Reshards admin, Operation started) throws InterruptedException {
        Operation now = started;
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (now.isActive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = admin.get(started.id());
        }
        return now;
    }
}
